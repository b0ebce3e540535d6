using System.Diagnostics;

namespace HikiConsult.Testing;

/// <summary>
/// Waits for a condition that the server makes true in the background and that nothing announces (a push, a log
/// line's count, a row): checks it every few milliseconds until it holds or the deadline passes. Where a signal
/// exists (a push a <see cref="HubClient"/> records, a task), await it instead.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <param name="condition">Checked at once, then after each interval.</param>
    /// <param name="awaited">What the condition means, for the timeout's message ("the alert stored as escalated").</param>
    /// <param name="timeout">By default <see cref="HubClient.Timeout"/>.</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, string awaited, TimeSpan? timeout = null)
    {
        var limit = timeout ?? HubClient.Timeout;
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {awaited}.");
            }

            await Task.Delay(Interval);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?)"/>
    public static Task UntilAsync(Func<bool> condition, string awaited, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), awaited, timeout);
}

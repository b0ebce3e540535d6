using System.Threading.Channels;

namespace HikiConsult.Actors.Benchmarks;

/// <summary>
/// The bare baseline for a grain call: a single-reader channel per target, read by one loop, and a
/// TaskCompletionSource per call that the loop completes.
/// </summary>
public sealed class ChannelHop
{
    private readonly Channel<(int Value, TaskCompletionSource<int> Response)> _channel =
        Channel.CreateUnbounded<(int, TaskCompletionSource<int>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly DirectTarget _target = new();

    public ChannelHop() => Reading = Task.Run(ReadAsync);

    public Task Reading { get; }

    public Task<int> Work(int value)
    {
        var response = new TaskCompletionSource<int>();
        _channel.Writer.TryWrite((value, response));
        return response.Task;
    }

    public void Complete() => _channel.Writer.TryComplete();

    private async Task ReadAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var item))
            {
                var result = _target.Work(item.Value);
                item.Response.SetResult(result.Result);
            }
        }
    }
}

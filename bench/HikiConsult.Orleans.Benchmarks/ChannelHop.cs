using System.Threading.Channels;

namespace HikiConsult.Orleans.Benchmarks;

/// <summary>The bare minimum of a mailbox: one single-reader channel per target, read by one loop that runs the work and completes the caller's task.</summary>
internal sealed class ChannelHop
{
    private readonly Channel<(int Value, TaskCompletionSource<int> Reply)> _mailbox =
        Channel.CreateUnbounded<(int, TaskCompletionSource<int>)>(new UnboundedChannelOptions { SingleReader = true });

    private int _total;

    public ChannelHop() => _ = Task.Run(ReadAsync);

    public Task<int> Work(int value)
    {
        var reply = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _mailbox.Writer.TryWrite((value, reply));
        return reply.Task;
    }

    public void Complete() => _mailbox.Writer.TryComplete();

    private async Task ReadAsync()
    {
        await foreach (var (value, reply) in _mailbox.Reader.ReadAllAsync())
        {
            reply.SetResult(_total += value);
        }
    }
}

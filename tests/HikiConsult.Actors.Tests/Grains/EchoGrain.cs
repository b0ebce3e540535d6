namespace HikiConsult.Actors.Tests.Grains;

public interface IEchoGrain : IGrainWithStringKey
{
    Task<string> Echo(string text, int times);

    ValueTask<int> Add(int a, int b);

    Task Nothing();
}

public sealed class EchoGrain(GrainEvents events) : Grain, IEchoGrain
{
    public Task<string> Echo(string text, int times)
    {
        events.Record("echo");
        return Task.FromResult(string.Concat(Enumerable.Repeat(text, times)));
    }

    public ValueTask<int> Add(int a, int b)
    {
        events.Record("add");
        return ValueTask.FromResult(a + b);
    }

    public Task Nothing()
    {
        events.Record("nothing");
        return Task.CompletedTask;
    }
}

public interface IAuditedGrain : IGrainWithStringKey
{
    Task<string> Hello(string name);
}

/// <summary>A grain that is its own call filter: it runs after the host's filters, just before the method.</summary>
public sealed class AuditedGrain(GrainEvents events) : Grain, IAuditedGrain, IIncomingGrainCallFilter
{
    public Task<string> Hello(string name) => Task.FromResult("hello " + name);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        events.Record("grain-filter:before:" + context.MethodName);
        await context.Invoke();
        events.Record("grain-filter:after:" + context.Result);
    }
}

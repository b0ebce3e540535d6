using System.Reflection;

namespace HikiConsult.Actors.Internal;

/// <summary>Runs the registered call filters, then the grain's own filter (if it is one), then the method.</summary>
internal sealed class IncomingGrainCallContext(ActivationData activation, Message request, object grain) : IIncomingGrainCallContext
{
    private int _next;
    private GrainMethod _method = null!;
    private object?[] _arguments = [];

    public object Grain => grain;
    public GrainId TargetId => activation.GrainId;
    public MethodInfo InterfaceMethod => _method.Method;
    public string MethodName => _method.Method.Name;
    public IReadOnlyList<object?> Arguments => _arguments;
    public object? Result { get; set; }

    public async Task<TResult> InvokeAll<TResult>()
    {
        var typed = (Request<TResult>)request;
        _method = typed.Method;
        _arguments = typed.Arguments;
        await Invoke();
        return Result is TResult result ? result : default!;
    }

    public async Task Invoke()
    {
        var filters = activation.Runtime.CallFilters;
        if (_next < filters.Length)
        {
            await filters[_next++].Invoke(this);
            return;
        }

        if (_next == filters.Length && grain is IIncomingGrainCallFilter grainFilter)
        {
            _next++;
            await grainFilter.Invoke(this);
            return;
        }

        var task = _method.Invoke(grain, _arguments);
        await task;
        Result = _method.GetBoxedResult(task);
    }
}

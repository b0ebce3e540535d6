using System.Linq.Expressions;
using System.Reflection;
using HikiConsult.Actors.Concurrency;

namespace HikiConsult.Actors.Internal;

/// <summary>What the runtime knows about one grain interface method: flags, a compiled invoker, and how to answer the caller.</summary>
internal abstract class GrainMethod
{
    protected GrainMethod(MethodInfo method)
    {
        Method = method;
        AlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute), true);
        ReadOnly = method.IsDefined(typeof(ReadOnlyAttribute), true);
        OneWay = method.IsDefined(typeof(OneWayAttribute), true);
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
    }

    public MethodInfo Method { get; }
    public string Name { get; }
    public bool AlwaysInterleave { get; }
    public bool ReadOnly { get; }
    public bool OneWay { get; }

    /// <summary>Calls the method on the grain (or observer) object.</summary>
    public Func<object, object?[], Task> Invoke { get; protected init; } = null!;

    /// <summary>Sends a call through a reference and returns what the interface method returns.</summary>
    public abstract object Call(GrainReference reference, object?[] args);

    /// <summary>The result of a completed invoker task, boxed (null for methods without a result).</summary>
    public abstract object? GetBoxedResult(Task task);

    public static GrainMethod Create(MethodInfo method)
    {
        var returnType = method.ReturnType;
        Type resultType;
        ReturnKind kind;
        if (returnType == typeof(Task))
        {
            (resultType, kind) = (typeof(object), ReturnKind.Task);
        }
        else if (returnType == typeof(ValueTask))
        {
            (resultType, kind) = (typeof(object), ReturnKind.ValueTask);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            (resultType, kind) = (returnType.GetGenericArguments()[0], ReturnKind.TaskOfT);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            (resultType, kind) = (returnType.GetGenericArguments()[0], ReturnKind.ValueTaskOfT);
        }
        else
        {
            throw new NotSupportedException(
                $"{method.DeclaringType!.Name}.{method.Name} returns {returnType.Name}: grain and observer methods must return Task, Task<T>, ValueTask or ValueTask<T>.");
        }

        if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
        {
            throw new NotSupportedException($"{method.DeclaringType!.Name}.{method.Name} has a ref or out parameter, which grain calls cannot carry.");
        }

        if (method.IsGenericMethodDefinition)
        {
            throw new NotSupportedException($"{method.DeclaringType!.Name}.{method.Name} is generic, which this grain host does not support.");
        }

        var type = typeof(GrainMethod<>).MakeGenericType(resultType);
        return (GrainMethod)Activator.CreateInstance(type, method, kind)!;
    }

    protected static Func<object, object?[], Task> CompileInvoker(MethodInfo method, ReturnKind kind)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters()
            .Select((p, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType))
            .ToArray<Expression>();
        Expression call = Expression.Call(Expression.Convert(target, method.DeclaringType!), method, parameters);
        if (kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT)
        {
            call = Expression.Call(call, method.ReturnType.GetMethod(nameof(ValueTask.AsTask))!);
        }

        return Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), target, args).Compile();
    }

    internal enum ReturnKind
    {
        Task,
        TaskOfT,
        ValueTask,
        ValueTaskOfT,
    }
}

internal sealed class GrainMethod<TResult> : GrainMethod
{
    private readonly ReturnKind _kind;

    public GrainMethod(MethodInfo method, ReturnKind kind)
        : base(method)
    {
        _kind = kind;
        Invoke = CompileInvoker(method, kind);
    }

    public override object Call(GrainReference reference, object?[] args)
    {
        var request = new Request<TResult>(this, args, reference.Runtime);
        reference.Runtime.Send(reference, request);
        if (OneWay)
        {
            return _kind switch
            {
                ReturnKind.Task => Task.CompletedTask,
                ReturnKind.ValueTask => default(ValueTask),
                ReturnKind.TaskOfT => Task.FromResult<TResult>(default!),
                _ => new ValueTask<TResult>(default(TResult)!),
            };
        }

        var task = request.ResponseTask!;
        return _kind switch
        {
            ReturnKind.Task or ReturnKind.TaskOfT => task,
            ReturnKind.ValueTask => new ValueTask(task),
            _ => new ValueTask<TResult>(task),
        };
    }

    public override object? GetBoxedResult(Task task) => GetResult(task);

    /// <summary>The value a completed grain task produced (for filters and the caller).</summary>
    public static TResult GetResult(Task task) => task is Task<TResult> typed ? typed.Result : default!;
}

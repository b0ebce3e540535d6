using System.Reflection;
using HikiConsult.Actors.Internal;

namespace HikiConsult.Actors;

/// <summary>
/// A typed proxy for a grain or an observer. Cheap to create; two references are equal when they address the
/// same grain id. Calls become messages on the target activation's mailbox.
/// </summary>
public class GrainReference : DispatchProxy, IAddressable, IEquatable<GrainReference>
{
    internal GrainRuntime Runtime { get; private set; } = null!;

    /// <summary>The grain class behind the interface, for grain references.</summary>
    internal GrainClassInfo? ClassInfo { get; private set; }

    /// <summary>The observer's mailbox, for observer references.</summary>
    internal ActivationData? Observer { get; private set; }

    public GrainId GrainId { get; private set; }

    /// <summary>The activation this reference last reached (a cache; the directory decides when it is gone).</summary>
    internal ActivationData? Activation { get; set; }

    /// <summary>The method this reference last called (a cache: most references call one or two methods).</summary>
    private GrainMethod? _lastMethod;

    internal static T Create<T>(GrainRuntime runtime, GrainId id, GrainClassInfo? classInfo, ActivationData? observer)
    {
        // DispatchProxy.Create goes through reflection each time; a shallow copy of a prototype of the same
        // generated type is the same proxy for a fraction of the cost (GetGrain is meant to be cheap).
        var reference = (GrainReference)Prototype<T>.Instance.MemberwiseClone();
        var proxy = (T)(object)reference;
        reference.Runtime = runtime;
        reference.GrainId = id;
        reference.ClassInfo = classInfo;
        reference.Observer = observer;
        reference.Activation = null;
        reference._lastMethod = null;
        return proxy;
    }

    /// <summary>One proxy per interface, never used for calls, only copied.</summary>
    private static class Prototype<T>
    {
        public static readonly GrainReference Instance = (GrainReference)(object)Create<T, GrainReference>()!;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var method = _lastMethod;
        if (method is null || !ReferenceEquals(method.Method, targetMethod))
        {
            method = Runtime.GetMethod(targetMethod);
            _lastMethod = method;
        }

        return method.Call(this, args ?? []);
    }

    public bool Equals(GrainReference? other) => other is not null && other.GrainId == GrainId;

    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => GrainId.ToString();
}

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

    internal static T Create<T>(GrainRuntime runtime, GrainId id, GrainClassInfo? classInfo, ActivationData? observer)
    {
        var proxy = Create<T, GrainReference>();
        var reference = (GrainReference)(object)proxy!;
        reference.Runtime = runtime;
        reference.GrainId = id;
        reference.ClassInfo = classInfo;
        reference.Observer = observer;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return Runtime.GetMethod(targetMethod).Call(this, args ?? []);
    }

    public bool Equals(GrainReference? other) => other is not null && other.GrainId == GrainId;

    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => GrainId.ToString();
}

using System.Reflection;

namespace HikiConsult.Actors;

/// <summary>One incoming grain call as filters see it.</summary>
public interface IIncomingGrainCallContext
{
    /// <summary>The grain instance being called.</summary>
    object Grain { get; }

    GrainId TargetId { get; }

    /// <summary>The grain interface method being called.</summary>
    MethodInfo InterfaceMethod { get; }

    string MethodName { get; }

    /// <summary>The call's arguments. Passed by reference (see docs/actors.md); treat as read-only.</summary>
    IReadOnlyList<object?> Arguments { get; }

    /// <summary>The result, once <see cref="Invoke"/> has completed; a filter may replace it.</summary>
    object? Result { get; set; }

    /// <summary>Runs the next filter, or the grain method.</summary>
    Task Invoke();
}

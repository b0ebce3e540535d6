namespace HikiConsult.Actors;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReasonCode : byte
{
    None,
    ShuttingDown,
    ActivationFailed,
    ApplicationRequested,
    ActivationIdle,
    ApplicationError,
    RuntimeRequested,
}

/// <summary>The reason passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
public readonly record struct DeactivationReason(DeactivationReasonCode ReasonCode, string Description, Exception? Exception = null)
{
    public override string ToString() => Exception is null ? $"{ReasonCode}: {Description}" : $"{ReasonCode}: {Description} ({Exception.GetType().Name})";
}

namespace HikiConsult.Actors.Hosting;

/// <summary>
/// Named stages of the grain host's lifecycle. Start runs stages in ascending order, stop in descending order,
/// so grains deactivate (<see cref="Active"/>) before storage closes (<see cref="RuntimeStorageServices"/>).
/// </summary>
public static class GrainHostLifecycleStage
{
    public const int First = int.MinValue;
    public const int RuntimeInitialize = 2000;
    public const int RuntimeServices = 4000;
    public const int RuntimeStorageServices = 6000;
    public const int ApplicationServices = 10000;
    public const int Active = 20000;
    public const int Last = int.MaxValue;
}

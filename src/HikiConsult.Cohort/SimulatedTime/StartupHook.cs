using HikiConsult.Cohort.SimulatedTime;

/// <summary>
/// Entry point for the .NET startup hook mechanism (global namespace and this exact name are required): when the
/// harness starts the server with <c>DOTNET_STARTUP_HOOKS</c> naming this assembly, the runtime calls
/// <see cref="Initialize"/> before the server's <c>Main</c>. Never active otherwise.
/// </summary>
internal static class StartupHook
{
    public static void Initialize() => SimulatedClockHook.Install();
}

namespace HikiConsult.Server.Hosting;

/// <summary>
/// How many arrays of each size the process's shared array pool keeps per core. SignalR's WebSocket transport and
/// its connection pipes rent their receive buffers and message segments from that pool and hold them while a
/// connection is busy. The runtime's default (32 per size and core) is far below what thousands of busy connections
/// hold at once, so rents miss and allocate and returns are dropped. The runtime reads the limit from the environment
/// once, when the pool is first used, so <see cref="Apply()"/> runs first thing in the process, and an operator's
/// own value wins. Arrays the pool keeps but no longer needs are trimmed by the runtime after garbage collections.
/// An option of the process environment (<see cref="MaxArraysPerPartitionVariable"/>), not of a configuration section.
/// </summary>
internal static class SharedArrayPoolOptions
{
    public const string MaxArraysPerPartitionVariable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Arrays of each size kept per core. Default 1,024 (4 MiB of 4 KiB buffers per core at most).</summary>
    public const int MaxArraysPerPartition = 1024;

    /// <summary>Sets the limit in this process's environment unless it is set already.</summary>
    public static void Apply() => Apply(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);

    /// <summary>True when it set the limit, false when the environment had one.</summary>
    internal static bool Apply(Func<string, string?> get, Action<string, string?> set)
    {
        if (!string.IsNullOrWhiteSpace(get(MaxArraysPerPartitionVariable)))
        {
            return false;
        }

        set(MaxArraysPerPartitionVariable, MaxArraysPerPartition.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}

using System.Globalization;

namespace HikiConsult.LoadTest.Load;

/// <summary>
/// CPU time (user and system) of some processes and everything under them, read from Linux's /proc: the nodes of a
/// running cluster, or a PostgreSQL postmaster, whose backends and workers are processes of their own. A descendant
/// that has exited and been waited for is still counted, in its parent's children's time, so the total only grows.
/// </summary>
public sealed class ProcessTreeCpu
{
    // /proc reports times in USER_HZ ticks, which Linux fixes at 100 a second for user space whatever the kernel's HZ.
    private const double TicksPerSecond = 100;

    private readonly IReadOnlyList<int> _roots;

    public ProcessTreeCpu(IReadOnlyList<int> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = roots;
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Process ids of a running target are read from /proc (Linux only).");
        }

        _ = Read();
    }

    public IReadOnlyList<int> Roots => _roots;

    /// <summary>The CPU time used so far by the roots and their descendants; throws if a root has exited.</summary>
    public TimeSpan Read()
    {
        var processes = ReadAll();
        var children = processes.ToLookup(p => p.Value.ParentId, p => p.Key);
        var seen = new HashSet<int>();
        var pending = new Stack<int>();
        foreach (var root in _roots)
        {
            if (!processes.ContainsKey(root))
            {
                throw new InvalidOperationException($"Process {root} of the target is gone: its CPU time can no longer be read.");
            }

            pending.Push(root);
        }

        long ticks = 0;
        while (pending.TryPop(out var pid))
        {
            // A root listed twice, or under another root, counts once.
            if (!seen.Add(pid))
            {
                continue;
            }

            ticks += processes[pid].Ticks;
            foreach (var child in children[pid])
            {
                pending.Push(child);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static Dictionary<int, (int ParentId, long Ticks)> ReadAll()
    {
        var processes = new Dictionary<int, (int, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited between the listing and the read.
                continue;
            }

            if (Parse(stat) is { } parsed)
            {
                processes[pid] = parsed;
            }
        }

        return processes;
    }

    /// <summary>
    /// The parent id and utime + stime + cutime + cstime of a /proc/PID/stat line. The command name (in parentheses)
    /// may hold spaces and parentheses itself, so fields are counted from the last ')'.
    /// </summary>
    internal static (int ParentId, long Ticks)? Parse(string stat)
    {
        var end = stat.LastIndexOf(')');
        if (end < 0)
        {
            return null;
        }

        // After the name: state, ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt, majflt, cmajflt, utime,
        // stime, cutime, cstime, … (proc(5)).
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 15)
        {
            return null;
        }

        long Field(int index) => long.Parse(fields[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return ((int)Field(1), Field(11) + Field(12) + Field(13) + Field(14));
    }
}

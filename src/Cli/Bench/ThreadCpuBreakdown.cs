using System.Globalization;

namespace Fieldlab.Cli.Bench;

/// <summary>CPU seconds of one process per thread name (from <c>/proc/{pid}/task/*/stat</c>), between two snapshots:
/// where a service's CPU goes — its MQTT network thread, the thread pool, the GC — without a profiler's overhead.</summary>
internal sealed class ThreadCpuBreakdown
{
    private readonly int _pid;
    private readonly Dictionary<int, (string Name, double Seconds)> _before;

    private ThreadCpuBreakdown(int pid)
    {
        _pid = pid;
        _before = Read(pid);
    }

    /// <summary>Takes the first snapshot.</summary>
    public static ThreadCpuBreakdown Start(int pid) => new(pid);

    /// <summary>CPU seconds per thread name since <see cref="Start"/>, largest first (threads that ended are not seen).</summary>
    public IReadOnlyList<(string Name, double Seconds)> Stop()
    {
        var after = Read(_pid);
        return after
            .Select(t => (t.Value.Name, Seconds: t.Value.Seconds - (_before.TryGetValue(t.Key, out var b) ? b.Seconds : 0)))
            .GroupBy(t => Normalise(t.Name))
            .Select(g => (g.Key, g.Sum(t => t.Seconds)))
            .Where(t => t.Item2 > 0.005)
            .OrderByDescending(t => t.Item2)
            .ToList();
    }

    /// <summary>One line: <c>name 1.23, other 0.45</c>.</summary>
    public static string Format(IEnumerable<(string Name, double Seconds)> threads) =>
        string.Join(", ", threads.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Seconds:F2}")));

    // Thread-pool workers are numbered; what matters is the kind.
    private static string Normalise(string name) => name.StartsWith(".NET TP Worker", StringComparison.Ordinal) ? ".NET TP Worker" : name;

    private static Dictionary<int, (string Name, double Seconds)> Read(int pid)
    {
        var threads = new Dictionary<int, (string Name, double Seconds)>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
                var name = stat[(open + 1)..close];
                var fields = stat[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // Fields 14 and 15 of stat (11 and 12 after the name): user and system time in clock ticks (100 per second).
                double seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (name, seconds);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return threads;
    }
}

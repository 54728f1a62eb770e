using System.Globalization;

namespace Fieldlab.Cli;

/// <summary>The <c>--name value</c> options after a command; unknown options are an error, so typos do not pass silently.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Positional words (not options).</summary>
    public List<string> Words { get; } = [];

    /// <summary>Parses <c>--name value</c> and <c>--flag</c>.</summary>
    public Arguments(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = list[i][2..];
                if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) _values[name] = list[++i];
                else _values[name] = "true";
            }
            else
            {
                Words.Add(list[i]);
            }
        }
    }

    /// <summary>A string option.</summary>
    public string? String(string name)
    {
        _used.Add(name);
        return _values.GetValueOrDefault(name);
    }

    /// <summary>An integer option with a default.</summary>
    public long Long(string name, long fallback)
    {
        var text = String(name);
        if (text is null) return fallback;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new UsageException($"--{name}: '{text}' is not an integer");
    }

    /// <summary>A number option with a default.</summary>
    public double Double(string name, double fallback)
    {
        var text = String(name);
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new UsageException($"--{name}: '{text}' is not a number");
    }

    /// <summary>Fails on options nobody asked for.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}

/// <summary>The command line is wrong; the message says how.</summary>
public sealed class UsageException(string message) : Exception(message);

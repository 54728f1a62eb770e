using System.Text;

namespace Fieldlab.Ingest.Tests.Robustness;

/// <summary>Makes valid sample batches and mutates them the ways real publishers break them: bit flips, truncation,
/// swapped fields, changed types, duplicated keys, invalid UTF-8, hostile names, absurd sizes. Seeded: a failure names
/// its seed and case.</summary>
internal sealed class PayloadMutator(int seed)
{
    public static readonly string[] Sensors = ["flow", "head", "power", "current", "temperature", "vibration"];

    private readonly Random _random = new(seed);
    private long _time = 1_795_300_000_000_000_000;

    /// <summary>A valid batch with 1–20 rows of some sensors, and its row count.</summary>
    public (byte[] Payload, int Rows) Valid(long seq)
    {
        int rows = _random.Next(1, 21);
        var json = new StringBuilder($"{{\"v\":1,\"stream\":\"process\",\"seq\":{seq},\"samples\":[");
        for (int r = 0; r < rows; r++)
        {
            _time += 1_000_000;
            if (r > 0) json.Append(',');
            json.Append("{\"t\":\"").Append(Fieldlab.Telemetry.Wire.UtcTimestamp.Format(_time)).Append('"');
            foreach (var s in Sensors.Where(_ => _random.NextDouble() < 0.8).DefaultIfEmpty("flow"))
            {
                json.Append(",\"").Append(s).Append("\":").Append((_random.NextDouble() * 200 - 100).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
            json.Append('}');
        }
        json.Append("]}");
        return (Encoding.UTF8.GetBytes(json.ToString()), rows);
    }

    /// <summary>One mutation of a valid payload, named.</summary>
    public (string Kind, byte[] Payload) Mutate(byte[] valid)
    {
        var text = Encoding.UTF8.GetString(valid);
        switch (_random.Next(14))
        {
            case 0:
                {
                    var bytes = (byte[])valid.Clone();
                    for (int i = _random.Next(1, 4); i > 0; i--) bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                    return ("bit-flip", bytes);
                }
            case 1:
                return ("truncation", valid[.._random.Next(valid.Length)]);
            case 2:
                return ("number-to-string", Encoding.UTF8.GetBytes(ReplaceNumber(text, v => $"\"{v}\"")));
            case 3:
                return ("number-to-null", Encoding.UTF8.GetBytes(ReplaceNumber(text, _ => "null")));
            case 4:
                return ("number-to-object", Encoding.UTF8.GetBytes(ReplaceNumber(text, v => _random.Next(3) switch { 0 => $"{{\"x\":{v}}}", 1 => $"[{v}]", _ => "true" })));
            case 5:
                return ("huge-number", Encoding.UTF8.GetBytes(ReplaceNumber(text, _ => _random.Next(3) switch { 0 => "1e999", 1 => "-1e400", _ => "123456789012345678901234567890e300" })));
            case 6:
                return ("field-swap", Encoding.UTF8.GetBytes(text.Replace("\"stream\":\"process\"", "\"stream\":" + _random.Next(100)).Replace("\"seq\":", "\"seq\":\"")));
            case 7:
                return ("key-rename", Encoding.UTF8.GetBytes(text.Replace("\"" + Sensors[_random.Next(Sensors.Length)] + "\"", "\"" + Hostile() + "\"")));
            case 8:
                return ("duplicate-key", Encoding.UTF8.GetBytes(text.Replace("\"flow\":", "\"flow\":1,\"flow\":")));
            case 9:
                {
                    var bytes = valid.ToList();
                    bytes.InsertRange(_random.Next(bytes.Count), new byte[] { 0xC3, 0x28, 0xFF });
                    return ("invalid-utf8", [.. bytes]);
                }
            case 10:
                return ("bad-timestamp", Encoding.UTF8.GetBytes(text.Replace("Z\"", _random.Next(4) switch { 0 => "+01:00\"", 1 => "\"", 2 => "Z \"", _ => "Zulu\"" })));
            case 11:
                return ("future", Encoding.UTF8.GetBytes(text.Replace("\"t\":\"2026", "\"t\":\"2099")));
            case 12:
                return ("empty-or-structural", _random.Next(5) switch
                {
                    0 => [],
                    1 => "null"u8.ToArray(),
                    2 => Encoding.UTF8.GetBytes(text.Replace("\"samples\":[", "\"samples\":[],\"x\":[")),
                    3 => Encoding.UTF8.GetBytes("[" + text + "]"),
                    _ => Encoding.UTF8.GetBytes(text + text),
                });
            default:
                return ("version", Encoding.UTF8.GetBytes(text.Replace("\"v\":1", "\"v\":" + _random.Next(-2, 4))));
        }
    }

    /// <summary>A hostile topic (wildcards, depth, bad ids, injection attempts) or the valid one.</summary>
    public string Topic(string valid) => _random.Next(20) switch
    {
        0 => "fieldlab/lab/pump 1/samples",
        1 => "fieldlab/lab/pump-1/samples/x",
        2 => "fieldlab/lab",
        3 => "fieldlab/lab/pump-1,rig=x/samples",
        4 => "fieldlab/Lab/pump-1/samples",
        5 => "fieldlab/lab/ghost-" + _random.Next(3) + "/samples",
        _ => valid,
    };

    private string Hostile() => _random.Next(8) switch
    {
        0 => "flow,rig=x",
        1 => "flow value",
        2 => "flow=1",
        3 => "fl\\\"ow",
        4 => "time",
        5 => "_field",
        6 => "FLOW",
        _ => "t",
    };

    private string ReplaceNumber(string text, Func<string, string> replacement)
    {
        var matches = System.Text.RegularExpressions.Regex.Matches(text, "(?<=\":)-?[0-9][0-9.eE+-]*");
        if (matches.Count == 0) return text;
        var m = matches[_random.Next(matches.Count)];
        return text[..m.Index] + replacement(m.Value) + text[(m.Index + m.Length)..];
    }
}

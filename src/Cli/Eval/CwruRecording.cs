using System.Globalization;
using System.Text.RegularExpressions;
using Fieldlab.PredictiveMaintenance.Bearings;

namespace Fieldlab.Cli.Eval;

/// <summary>One CWRU bearing recording as ../shared/data/cwru holds them: a CSV with a <c>DE,FE[,BA]</c> header and one
/// sample per row, its label, speed and rate in the file name (e.g. <c>0hp_1797rpm_IR_007_X105_12k.csv</c>).</summary>
internal sealed partial record CwruRecording(string Name, BearingCondition Condition, double SizeInches, double Rpm, double SampleRateHz, double[] DriveEnd)
{
    [GeneratedRegex(@"(?<rpm>\d+)rpm_(?<kind>Normal|IR|B|OR[A-Za-z0-9@]*)(_(?<size>\d{3}))?_.*?(?<rate>\d+)k\.csv$", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();

    /// <summary>Reads a file; a name that does not say what it is, or a malformed value, is an error naming file and line.</summary>
    public static CwruRecording Read(string path)
    {
        var name = Path.GetFileName(path);
        var match = NamePattern().Match(name);
        if (!match.Success) throw new FormatException($"{name}: the name must look like 0hp_1797rpm_IR_007_X105_12k.csv (speed, fault, size, rate)");
        var kind = match.Groups["kind"].Value.ToUpperInvariant();
        var condition = kind switch
        {
            "NORMAL" => BearingCondition.Normal,
            "IR" => BearingCondition.InnerRace,
            "B" => BearingCondition.Ball,
            _ => BearingCondition.OuterRace,
        };
        double size = match.Groups["size"].Success ? int.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture) / 1000.0 : 0;
        if (condition != BearingCondition.Normal && size == 0) throw new FormatException($"{name}: a fault recording must name its size (e.g. _007_)");
        double rpm = double.Parse(match.Groups["rpm"].Value, CultureInfo.InvariantCulture);
        double rate = double.Parse(match.Groups["rate"].Value, CultureInfo.InvariantCulture) * 1000;

        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new FormatException($"{name}: empty file")).Split(',').Select(c => c.Trim()).ToArray();
        int de = Array.IndexOf(header, "DE");
        if (de < 0) throw new FormatException($"{name}: line 1 has no DE column");
        var samples = new List<double>(130_000);
        int line = 1;
        for (string? text; (text = reader.ReadLine()) is not null;)
        {
            line++;
            if (text.Length == 0) continue;
            var cells = text.Split(',');
            if (cells.Length != header.Length) throw new FormatException($"{name}: line {line} has {cells.Length} fields; the header has {header.Length}");
            if (!double.TryParse(cells[de], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new FormatException($"{name}: line {line}: DE holds '{cells[de]}', not a finite number");
            samples.Add(v);
        }
        return new CwruRecording(name, condition, size, rpm, rate, [.. samples]);
    }

    /// <summary>Location and size as one label, e.g. "IR 0.014" or "Normal".</summary>
    public string Label => Condition == BearingCondition.Normal ? "Normal" : $"{Short(Condition)} {SizeInches:0.000}";

    /// <summary>Short name of a condition for tables.</summary>
    public static string Short(BearingCondition c) => c switch
    {
        BearingCondition.Normal => "Normal",
        BearingCondition.InnerRace => "IR",
        BearingCondition.OuterRace => "OR",
        _ => "Ball",
    };
}

using System.Globalization;

namespace Fieldlab.Cli.Eval;

/// <summary>One C-MAPSS file set (train_FD00x, test_FD00x, RUL_FD00x in one directory): per unit its cycles with 3
/// operational settings and 21 sensors, and for test units the true RUL after the last cycle.</summary>
internal sealed record CmapssData(string Subset, List<CmapssUnit> Train, List<CmapssUnit> Test)
{
    public const int Settings = 3;
    public const int Sensors = 21;

    public static CmapssData Read(string dir, string subset)
    {
        var train = ReadUnits(Path.Combine(dir, $"train_{subset}.txt"));
        var test = ReadUnits(Path.Combine(dir, $"test_{subset}.txt"));
        var rulPath = Path.Combine(dir, $"RUL_{subset}.txt");
        if (!File.Exists(rulPath)) throw new UsageException($"missing {rulPath}");
        var ruls = File.ReadAllLines(rulPath).Select((l, i) => (l.Trim(), i)).Where(x => x.Item1.Length > 0)
            .Select(x => int.TryParse(x.Item1, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v : throw new FormatException($"RUL_{subset}.txt: line {x.i + 1}: '{x.Item1}' is not a non-negative integer")).ToList();
        if (ruls.Count != test.Count) throw new FormatException($"RUL_{subset}.txt has {ruls.Count} values for {test.Count} test units");
        for (int i = 0; i < test.Count; i++) test[i] = test[i] with { TrueRul = ruls[i] };
        return new CmapssData(subset, train, test);
    }

    private static List<CmapssUnit> ReadUnits(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"missing {path}");
        var units = new List<CmapssUnit>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            var cells = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length == 0) continue;
            if (cells.Length != 2 + Settings + Sensors) throw new FormatException($"{Path.GetFileName(path)}: line {line} has {cells.Length} columns; expected 26");
            var values = new double[cells.Length];
            for (int i = 0; i < cells.Length; i++)
                if (!double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                    throw new FormatException($"{Path.GetFileName(path)}: line {line}, column {i + 1}: '{cells[i]}' is not a number");
            int unit = (int)values[0], cycle = (int)values[1];
            if (units.Count == 0 || units[^1].Id != unit) units.Add(new CmapssUnit(unit, [], [], null));
            var u = units[^1];
            if (cycle != u.SettingsByCycle.Count + 1) throw new FormatException($"{Path.GetFileName(path)}: line {line}: unit {unit} jumps to cycle {cycle}");
            u.SettingsByCycle.Add(values[2..5]);
            u.SensorsByCycle.Add(values[5..]);
        }
        if (units.Count == 0) throw new FormatException($"{Path.GetFileName(path)} holds no rows");
        return units;
    }
}

/// <summary>One engine: settings and sensors per cycle; the true RUL after its last cycle for test units.</summary>
internal sealed record CmapssUnit(int Id, List<double[]> SettingsByCycle, List<double[]> SensorsByCycle, int? TrueRul)
{
    public int Cycles => SensorsByCycle.Count;
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fieldlab.Cli.Eval;

/// <summary>A fuel-cell stack's ageing test in the FCLAB PHM 2014 layout: <c>polarization/{STACK}_Pola_T{hours}.csv</c>
/// (cell voltages U1…Un, stack voltage, I, J) and optional monitoring files <c>{STACK}_Ageing*.csv</c> (Time (h),
/// U1…Un, stack voltage, J, I, …). Columns are found by their names, so other stacks in the same layout read too.</summary>
internal sealed partial record FuelCellData(string Stack, List<PolarisationCurve> Curves, List<MonitoringRow> Monitoring)
{
    [GeneratedRegex(@"^(?<stack>[^_]+)_Pola_T(?<hours>\d+)\.csv$", RegexOptions.IgnoreCase)]
    private static partial Regex CurveName();

    public static FuelCellData Read(string dir)
    {
        var polarisation = Path.Combine(dir, "polarization");
        if (!Directory.Exists(polarisation)) throw new UsageException($"no polarization/ folder in {dir}");
        var curves = new List<PolarisationCurve>();
        string? stack = null;
        foreach (var path in Directory.EnumerateFiles(polarisation, "*.csv").Order(StringComparer.Ordinal))
        {
            var m = CurveName().Match(Path.GetFileName(path));
            if (!m.Success) continue;
            var name = m.Groups["stack"].Value;
            if (stack is not null && name != stack) throw new FormatException($"{Path.GetFileName(path)}: belongs to stack {name}, the folder holds {stack}");
            stack = name;
            curves.Add(ReadCurve(path, double.Parse(m.Groups["hours"].Value, CultureInfo.InvariantCulture)));
        }
        if (stack is null || curves.Count == 0) throw new UsageException($"no polarisation curves named STACK_Pola_Thhh.csv in {polarisation}");
        var monitoring = new List<MonitoringRow>();
        foreach (var path in Directory.EnumerateFiles(dir, $"{stack}_Ageing*.csv").Order(StringComparer.Ordinal)) monitoring.AddRange(ReadMonitoring(path));
        return new FuelCellData(stack, [.. curves.OrderBy(c => c.Hours)], [.. monitoring.OrderBy(r => r.Hours)]);
    }

    private static PolarisationCurve ReadCurve(string path, double hours)
    {
        var (header, rows) = ReadTable(path);
        int cells = header.Count(IsCellColumn);
        int current = Column(header, path, h => h.StartsWith("I (A", StringComparison.Ordinal));
        int density = Column(header, path, h => h.StartsWith("J (A", StringComparison.Ordinal));
        int stack = Column(header, path, h => h.StartsWith("Ustack", StringComparison.OrdinalIgnoreCase) || h.StartsWith("Utot", StringComparison.OrdinalIgnoreCase));
        if (cells == 0) throw new FormatException($"{Path.GetFileName(path)}: no cell voltage columns (U1 (V) …)");
        var points = rows.Select(r => (J: r[density], Cell: r[stack] / cells, I: r[current])).ToList();
        double area = points.Where(p => p.J > 0.05).Select(p => p.I / p.J).DefaultIfEmpty(double.NaN).Average();
        return new PolarisationCurve(hours, cells, area, [.. points.Select(p => (p.J, p.Cell))]);
    }

    private static IEnumerable<MonitoringRow> ReadMonitoring(string path)
    {
        var (header, rows) = ReadTable(path);
        int cells = header.Count(IsCellColumn);
        int time = Column(header, path, h => h.StartsWith("Time (h", StringComparison.Ordinal));
        int current = Column(header, path, h => h.StartsWith("I (A", StringComparison.Ordinal));
        int stack = Column(header, path, h => h.StartsWith("Ustack", StringComparison.OrdinalIgnoreCase) || h.StartsWith("Utot", StringComparison.OrdinalIgnoreCase));
        return rows.Select(r => new MonitoringRow(r[time], r[current], r[stack] / cells));
    }

    private static bool IsCellColumn(string h) => h.Length > 1 && h[0] == 'U' && char.IsDigit(h[1]);

    private static int Column(string[] header, string path, Func<string, bool> match)
    {
        int i = Array.FindIndex(header, h => match(h));
        return i >= 0 ? i : throw new FormatException($"{Path.GetFileName(path)}: a required column is missing (header: {string.Join(", ", header)})");
    }

    // Headers come in Windows-1252 (°, ²); Latin-1 reads every byte, and only the column names' prefixes matter.
    private static (string[] Header, List<double[]> Rows) ReadTable(string path)
    {
        using var reader = new StreamReader(path, Encoding.Latin1);
        var header = (reader.ReadLine() ?? throw new FormatException($"{Path.GetFileName(path)}: empty")).Split(',').Select(h => h.Trim()).ToArray();
        var rows = new List<double[]>();
        int line = 1;
        for (string? text; (text = reader.ReadLine()) is not null;)
        {
            line++;
            if (text.Length == 0) continue;
            var cells = text.Split(',');
            if (cells.Length != header.Length) throw new FormatException($"{Path.GetFileName(path)}: line {line} has {cells.Length} fields; the header has {header.Length}");
            var row = new double[cells.Length];
            for (int i = 0; i < cells.Length; i++)
                if (!double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]))
                    throw new FormatException($"{Path.GetFileName(path)}: line {line}: '{cells[i]}' in column '{header[i]}' is not a number");
            rows.Add(row);
        }
        return (header, rows);
    }
}

/// <summary>One polarisation curve: (current density A/cm², mean cell voltage V) points at an ageing time.</summary>
internal sealed record PolarisationCurve(double Hours, int Cells, double AreaCm2, List<(double CurrentDensity, double CellVoltage)> Points)
{
    /// <summary>The measured mean cell voltage at a current density (mean of the points within ±0.01 A/cm²).</summary>
    public double VoltageAt(double density)
    {
        var near = Points.Where(p => Math.Abs(p.CurrentDensity - density) <= 0.01).ToList();
        return near.Count > 0 ? near.Average(p => p.CellVoltage) : double.NaN;
    }

    /// <summary>The curve averaged into 0.01 A/cm² bins (a ramp holds thousands of points).</summary>
    public List<(double CurrentDensity, double CellVoltage)> Binned() =>
        [.. Points.GroupBy(p => Math.Round(p.CurrentDensity, 2)).OrderBy(g => g.Key).Select(g => (g.Average(p => p.CurrentDensity), g.Average(p => p.CellVoltage)))];
}

/// <summary>One monitoring row: ageing time, current, mean cell voltage.</summary>
internal readonly record struct MonitoringRow(double Hours, double CurrentA, double CellVoltage);

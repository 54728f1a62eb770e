using System.Text.Json;

namespace Fieldlab.Telemetry.Influx;

/// <summary>One series of a query result: a measurement, its group-by tags, column names and rows.</summary>
/// <remarks>Times are nanoseconds since the Unix epoch (the client always asks for <c>epoch=ns</c>).</remarks>
public sealed record InfluxSeries(string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, IReadOnlyList<JsonElement[]> Rows)
{
    /// <summary>Index of a column, or -1.</summary>
    public int ColumnIndex(string column)
    {
        for (int i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        return -1;
    }

    /// <summary>Reads a cell as a double, or null when it is null.</summary>
    public double? GetDouble(int row, string column)
    {
        var cell = Rows[row][ColumnIndex(column) is var i and >= 0 ? i : throw new KeyNotFoundException(column)];
        return cell.ValueKind == JsonValueKind.Null ? null : cell.GetDouble();
    }

    /// <summary>Reads the time column of a row, in nanoseconds since the epoch.</summary>
    public long GetTimeNanoseconds(int row) => Rows[row][ColumnIndex("time") is var i and >= 0 ? i : throw new KeyNotFoundException("time")].GetInt64();
}

/// <summary>The results of one query statement.</summary>
public sealed record InfluxQueryResult(IReadOnlyList<InfluxSeries> Series)
{
    /// <summary>The first series, or null when the statement returned no data.</summary>
    public InfluxSeries? Single => Series.Count > 0 ? Series[0] : null;
}

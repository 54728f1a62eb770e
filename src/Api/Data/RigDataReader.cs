using System.Text.RegularExpressions;
using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Data;

/// <summary>The only way the API reads a rig's time series: every query is bound to the scope's site and rig and cut
/// to the part of the requested time the caller may see — one query per visible window (InfluxQL 1.x cannot OR time
/// ranges), merged in time order. A company member's pilot windows are applied here by the server, never by a
/// parameter the client sends.</summary>
public sealed partial class RigDataReader(InfluxClient influx)
{
    [GeneratedRegex(@"\b(site|rig|time)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Reserved();

    /// <summary>The rows of <paramref name="select"/> for <paramref name="scope"/>'s rig in [from, to] (both ends included,
    /// as the API's from/to always were), limited to
    /// <paramref name="windows"/> (the caller's data or truth windows). Rows of all windows in one series, in time order
    /// (newest first with <see cref="RigSelect.Descending"/>).</summary>
    public Task<RigRows> ReadAsync(RigScope scope, WindowSet windows, RigSelect select, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadAsync(scope.Address, windows, select, from, to, cancellationToken);

    /// <summary>The same for a rig and windows that a pilot's export decided (the caller was checked against the pilot).</summary>
    public async Task<RigRows> ReadAsync(RigAddress rig, WindowSet windows, RigSelect select, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (select.Where is { } where && Reserved().IsMatch(where))
            throw new ArgumentException("A RigSelect's Where must not filter on site, rig or time: the reader does that.", nameof(select));
        // A window ends before its end (a pilot window is half-open); the request's own end is included.
        var parts = windows.Clip(from.UtcDateTime, to.UtcDateTime.AddTicks(1))
            .Select(p => (p.From!.Value, To: p.To!.Value > to.UtcDateTime ? to.UtcDateTime : p.To!.Value, Inclusive: p.To!.Value > to.UtcDateTime)).ToList();
        if (select.Descending) parts.Reverse();
        var rows = new List<System.Text.Json.JsonElement[]>();
        IReadOnlyList<string> columns = [];
        foreach (var part in parts)
        {
            int remaining = select.Limit - rows.Count;
            if (select.GroupByTime is null && remaining <= 0) break;
            var text = $"SELECT {select.Fields} FROM {select.Measurement.ReadSources} WHERE site = $site AND rig = $rig"
                + (select.Where is null ? "" : $" AND ({select.Where})")
                + (part.Inclusive ? " AND time >= $from AND time <= $to" : " AND time >= $from AND time < $to")
                // InfluxQL cannot bind a duration: it is emitted from a parsed TimeSpan, never from the request text.
                + (select.GroupByTime is { } every ? $" GROUP BY time({(long)Math.Max(1, every.TotalMilliseconds)}ms) fill(none)"
                    : $" ORDER BY time {(select.Descending ? "DESC" : "ASC")} LIMIT {remaining}");
            var query = new InfluxQuery(text).Bind("site", rig.Site).Bind("rig", rig.Rig)
                .Bind("from", new DateTimeOffset(part.Value)).Bind("to", new DateTimeOffset(part.To));
            foreach (var (name, value) in select.Parameters ?? new Dictionary<string, string>()) query.Bind(name, value);
            var result = await influx.QueryAsync(query, cancellationToken);
            if (result.Single is { } series)
            {
                columns = series.Columns;
                rows.AddRange(series.Rows);
            }
        }
        return new RigRows(columns, rows);
    }
}

/// <summary>Rows read for a rig: the columns and the rows of every visible window, in order.</summary>
public sealed record RigRows(IReadOnlyList<string> Columns, IReadOnlyList<System.Text.Json.JsonElement[]> Rows)
{
    /// <summary>Index of a column, or -1.</summary>
    public int ColumnIndex(string column)
    {
        for (int i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        return -1;
    }

    /// <summary>The time of row <paramref name="row"/> in nanoseconds.</summary>
    public long TimeNanoseconds(int row) => Rows[row][ColumnIndex("time")].GetInt64();

    /// <summary>A number cell, or null.</summary>
    public double? Number(int row, string column) =>
        ColumnIndex(column) is var i and >= 0 && Rows[row][i].ValueKind == System.Text.Json.JsonValueKind.Number ? Rows[row][i].GetDouble() : null;

    /// <summary>A string cell, or null.</summary>
    public string? Text(int row, string column) =>
        ColumnIndex(column) is var i and >= 0 && Rows[row][i].ValueKind == System.Text.Json.JsonValueKind.String ? Rows[row][i].GetString() : null;
}

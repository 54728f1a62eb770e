using System.Text.Json;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Cli.Backup;

/// <summary>Points per <c>retention_policy.measurement</c> of a database: what a backup says it holds and a restore
/// checks it brought back.</summary>
/// <remarks>InfluxQL cannot count points, only field values: a measurement's points are counted as its largest
/// <c>count(field)</c> (exact when one field is in every point, as in Fieldlab's measurements). Each count reads the
/// whole measurement — seconds at lab scale, more for hours of raw waveforms; one query per measurement and policy.</remarks>
internal static class InfluxPoints
{
    /// <summary>Counts every measurement in every retention policy; measurements without points are left out.</summary>
    public static async Task<SortedDictionary<string, long>> CountAsync(InfluxOptions admin, CancellationToken cancellationToken)
    {
        using var client = new InfluxClient(admin);
        var database = InfluxIdentifier.Quote(admin.Database);
        var policies = Column(await client.QueryAsync(new InfluxQuery($"SHOW RETENTION POLICIES ON {database}"), cancellationToken, database: ""), "name");
        var measurements = Column(await client.QueryAsync(new InfluxQuery($"SHOW MEASUREMENTS ON {database}"), cancellationToken, database: ""), "name");
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            foreach (var measurement in measurements)
            {
                var result = await client.QueryAsync(new InfluxQuery($"SELECT count(*) FROM {InfluxIdentifier.Quote(policy)}.{InfluxIdentifier.Quote(measurement)}"), cancellationToken);
                if (result.Single is not { Rows.Count: > 0 } series) continue;
                long most = 0;
                for (int i = 0; i < series.Columns.Count; i++)
                {
                    if (series.Columns[i] == "time") continue;
                    var cell = series.Rows[0][i];
                    if (cell.ValueKind == JsonValueKind.Number) most = Math.Max(most, cell.GetInt64());
                }
                if (most > 0) counts[$"{policy}.{measurement}"] = most;
            }
        }
        return counts;
    }

    private static List<string> Column(InfluxQueryResult result, string column)
    {
        var values = new List<string>();
        foreach (var series in result.Series)
        {
            int index = series.ColumnIndex(column);
            if (index < 0) continue;
            foreach (var row in series.Rows) if (row[index].ValueKind == JsonValueKind.String) values.Add(row[index].GetString()!);
        }
        return values;
    }
}

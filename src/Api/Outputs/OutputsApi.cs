using System.Text.Json;
using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Outputs;

/// <summary>The newest output of each of a rig's models, as ingest stored them (docs/telemetry.md, InfluxDB schema):
/// anomaly score with its contributing sensors, bearing health with the defect z-scores, vibration severity per axis
/// with its ISO 20816 zone, and the energy KPIs (with the stacks' drift and RUL). Within the caller's data windows.</summary>
public static class OutputsApi
{
    /// <summary>The model measurements, in the order the console shows them.</summary>
    public static readonly IReadOnlyList<Measurement> Measurements = [FieldlabSchema.Anomaly, FieldlabSchema.BearingHealth, FieldlabSchema.Energy];

    /// <summary>Maps <c>GET …/outputs</c> in the rig group.</summary>
    public static RouteGroupBuilder MapOutputsApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/outputs", OutputsAsync).WithName("ModelOutputs").RequireRight(RigRights.Data)
            .WithSummary("The newest row of each model output of a rig (anomaly, bearing_health, vibration_features per axis, energy) within a window (default 1h).");
        return rig;
    }

    /// <summary>GET …/outputs?within=1h</summary>
    public static async Task<IResult> OutputsAsync(RigScope scope, string? within, RigDataReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = SeriesRequest.Within(within, "1h", time.GetUtcNow());
        if (request is null) return SeriesRequest.WithinProblem(within);
        var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["site"] = scope.Address.Site, ["rig"] = scope.Address.Rig };
        try
        {
            foreach (var measurement in Measurements)
            {
                var rows = await reader.ReadAsync(scope, scope.Visibility.Data, new RigSelect(measurement, "*", Descending: true, Limit: 1), request.From, request.To, cancellationToken);
                result[measurement.Name] = rows.Rows.Count == 0 ? null : Row(rows, 0);
            }
            // One row per axis: the newest three rows cover every axis of a three-axis sensor.
            var vibration = await reader.ReadAsync(scope, scope.Visibility.Data,
                new RigSelect(FieldlabSchema.VibrationFeatures, "\"axis\", \"velocity_rms_mm_s\", \"iso_zone\", \"shaft_hz\", \"rms\", \"kurtosis\", \"crest\"", Descending: true, Limit: 6),
                request.From, request.To, cancellationToken);
            var axes = new List<Dictionary<string, object?>>();
            for (int r = 0; r < vibration.Rows.Count; r++)
            {
                var row = Row(vibration, r);
                if (!axes.Any(a => Equals(a.GetValueOrDefault("axis"), row.GetValueOrDefault("axis")))) axes.Add(row);
            }
            result["vibration"] = axes;
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
        return TypedResults.Ok(result);
    }

    // Every non-null column of a row (tags site/rig omitted: the answer names its rig), time as the wire timestamp.
    private static Dictionary<string, object?> Row(RigRows rows, int r)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int c = 0; c < rows.Columns.Count; c++)
        {
            var name = rows.Columns[c];
            var value = rows.Rows[r][c];
            if (name is "site" or "rig" || value.ValueKind == JsonValueKind.Null) continue;
            row[name] = name == "time" ? UtcTimestamp.Format(value.GetInt64())
                : value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => value.GetString(),
                };
        }
        return row;
    }
}

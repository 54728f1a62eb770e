using System.Globalization;
using System.Text;
using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Export;

/// <summary>Recorded data as CSV in the Fieldlab export format, which the gateway's replay reads back as a rig:
/// instructors build lab assignments on recordings this way.</summary>
/// <remarks>Format: <c># fieldlab export v1 site=… rig=… stream=… kind=…</c>, <c># units,,&lt;unit&gt;,…</c>, a header
/// <c>time,&lt;sensor&gt;,…</c>, then one row per sample with times in the wire format and numbers in shortest
/// round-trip form; an empty cell is "no reading". At most <see cref="MaxRows"/> rows per request (a final
/// <c># truncated</c> line says when more exist).</remarks>
public static class ExportApi
{
    /// <summary>Most rows per export.</summary>
    public const int MaxRows = 200_000;

    /// <summary>Maps <c>GET …/export</c> in the rig group.</summary>
    public static RouteGroupBuilder MapExportApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/export", ExportAsync).WithName("ExportStream").RequireRight(RigRights.Data)
            .WithSummary("A stream's samples in a time window as CSV (the format the gateway's replay reads), within the caller's data windows.");
        return rig;
    }

    /// <summary>GET …/export?stream=&amp;from=&amp;to=</summary>
    public static async Task<IResult> ExportAsync(RigScope scope, string? stream, string? from, string? to, RigDataReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        var birth = scope.Entry?.Birth;
        var spec = birth?.Streams.FirstOrDefault(s => s.Id == (stream ?? "process") && !s.IsWaveform);
        if (spec is null)
        {
            var streams = birth is null ? "none known yet" : string.Join(", ", birth.Streams.Where(s => !s.IsWaveform).Select(s => s.Id));
            return TypedResults.Problem($"Rig '{scope.Address.Rig}' has no sample stream '{stream ?? "process"}' (streams: {streams}).", statusCode: 404, title: "Unknown stream");
        }
        var request = SeriesRequest.TryParse(from, to, null, null, time.GetUtcNow(), out var errors);
        if (request is null) return TypedResults.ValidationProblem(errors);

        var fields = string.Join(", ", spec.Sensors.Select(s => InfluxIdentifier.Quote(s.Id)));
        RigRows rows;
        try
        {
            rows = await reader.ReadAsync(scope, scope.Visibility.Data, new RigSelect(FieldlabSchema.Samples, fields, "stream = $stream",
                new Dictionary<string, string> { ["stream"] = spec.Id }, Limit: MaxRows + 1), request.From, request.To, cancellationToken);
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }

        var csv = new StringBuilder();
        csv.Append(CultureInfo.InvariantCulture, $"# fieldlab export v1 site={scope.Address.Site} rig={scope.Address.Rig} stream={spec.Id} kind={birth!.Kind}\n");
        csv.Append("# units,,").Append(string.Join(',', spec.Sensors.Select(s => s.Unit))).Append('\n');
        csv.Append("time,").Append(string.Join(',', spec.Sensors.Select(s => s.Id))).Append('\n');
        var columns = spec.Sensors.Select(s => rows.ColumnIndex(s.Id)).ToArray();
        foreach (var (row, index) in rows.Rows.Take(MaxRows).Select((r, i) => (r, i)))
        {
            csv.Append(UtcTimestamp.Format(rows.TimeNanoseconds(index)));
            foreach (var c in columns)
            {
                csv.Append(',');
                if (c >= 0 && row[c].ValueKind == System.Text.Json.JsonValueKind.Number) csv.Append(row[c].GetDouble().ToString("R", CultureInfo.InvariantCulture));
            }
            csv.Append('\n');
        }
        if (rows.Rows.Count > MaxRows) csv.Append("# truncated: narrow the window to export the rest\n");
        var fileName = $"{scope.Address.Site}-{scope.Address.Rig}-{spec.Id}.csv";
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", fileName);
    }
}

using System.Globalization;
using System.Text;
using Fieldlab.Api.Rigs;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Rigs;
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

    /// <summary>Maps <c>GET /api/rigs/{rig}/export</c>.</summary>
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rigs/{rig}/export", ExportAsync).WithTags("Rigs").WithName("ExportStream")
            .WithSummary("A stream's samples in a time window as CSV (the format the gateway's replay reads).");
        return app;
    }

    /// <summary>GET /api/rigs/{rig}/export?stream=&amp;from=&amp;to=&amp;site=</summary>
    public static async Task<IResult> ExportAsync(string rig, string? stream, string? from, string? to, string? site,
        RigDirectory directory, InfluxClient influx, TimeProvider time, CancellationToken cancellationToken)
    {
        if (RigsApi.Find(directory, rig, site, out var entry) is { } notFound) return notFound;
        var spec = entry!.Birth?.Streams.FirstOrDefault(s => s.Id == (stream ?? "process") && !s.IsWaveform);
        if (spec is null)
        {
            var streams = entry.Birth is null ? "none known yet" : string.Join(", ", entry.Birth.Streams.Where(s => !s.IsWaveform).Select(s => s.Id));
            return TypedResults.Problem($"Rig '{rig}' has no sample stream '{stream ?? "process"}' (streams: {streams}).", statusCode: 404, title: "Unknown stream");
        }
        var request = SeriesRequest.TryParse(from, to, null, null, time.GetUtcNow(), out var errors);
        if (request is null) return TypedResults.ValidationProblem(errors);

        var fields = string.Join(", ", spec.Sensors.Select(s => InfluxIdentifier.Quote(s.Id)));
        var query = new InfluxQuery($"SELECT {fields} FROM \"{SeriesReader.Measurement}\" WHERE site = $site AND rig = $rig AND stream = $stream AND time >= $from AND time <= $to ORDER BY time ASC LIMIT {MaxRows + 1}")
            .Bind("site", entry.Address.Site).Bind("rig", entry.Address.Rig).Bind("stream", spec.Id).Bind("from", request.From).Bind("to", request.To);
        InfluxQueryResult result;
        try
        {
            result = await influx.QueryAsync(query, cancellationToken);
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }

        var csv = new StringBuilder();
        csv.Append(CultureInfo.InvariantCulture, $"# fieldlab export v1 site={entry.Address.Site} rig={entry.Address.Rig} stream={spec.Id} kind={entry.Birth!.Kind}\n");
        csv.Append("# units,,").Append(string.Join(',', spec.Sensors.Select(s => s.Unit))).Append('\n');
        csv.Append("time,").Append(string.Join(',', spec.Sensors.Select(s => s.Id))).Append('\n');
        int rows = 0;
        if (result.Single is { } series)
        {
            var columns = spec.Sensors.Select(s => series.ColumnIndex(s.Id)).ToArray();
            foreach (var row in series.Rows.Take(MaxRows))
            {
                csv.Append(UtcTimestamp.Format(row[series.ColumnIndex("time")].GetInt64()));
                foreach (var c in columns)
                {
                    csv.Append(',');
                    if (c >= 0 && row[c].ValueKind == System.Text.Json.JsonValueKind.Number) csv.Append(row[c].GetDouble().ToString("R", CultureInfo.InvariantCulture));
                }
                csv.Append('\n');
                rows++;
            }
            if (series.Rows.Count > MaxRows) csv.Append("# truncated: narrow the window to export the rest\n");
        }
        var fileName = $"{entry.Address.Site}-{entry.Address.Rig}-{spec.Id}.csv";
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", fileName);
    }
}

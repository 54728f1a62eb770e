using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Fieldlab.Access.Accounts;
using Fieldlab.Cli.Access;

namespace Fieldlab.Cli.Datasets;

/// <summary><c>dataset freeze|get|list</c>: frozen datasets through the API (docs/datasets.md), as a user of the local
/// store (<c>--as</c>, a short-lived personal token is made for the call). Last lines:
/// <c>dataset id=ID version=V rows=N sha256=H</c>, <c>dataset file=PATH sha256=H</c>, <c>datasets count=N</c>.</summary>
internal static class DatasetCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The command tree.</summary>
    public static Command Create() => new("dataset", "Frozen datasets: freeze a range of rigs, download a file, list (docs/datasets.md).")
    {
        Freeze(), Get(), List(),
    };

    internal static Option<string> Api() => new("--api") { Description = "The API's URL", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIELDLAB_API_URL") ?? "http://127.0.0.1:5180" };

    internal static Option<string> As() => new("--as") { Description = "The user to act as (an instructor, a company member or an administrator)", DefaultValueFactory = _ => "docent" };

    private static Command Freeze()
    {
        var rigs = new Option<string[]>("--rig") { Description = "A rig (repeat for more)", Required = true, AllowMultipleArgumentsPerToken = false };
        var from = new Option<string>("--from") { Description = "Start of the range (RFC 3339 or now-1h), inclusive", Required = true };
        var to = new Option<string>("--to") { Description = "End of the range, exclusive (at least 30 s ago)", Required = true };
        var site = new Option<string>("--site") { Description = "The site", DefaultValueFactory = _ => "techport" };
        var sensors = new Option<string[]>("--sensor") { Description = "A sensor to keep (repeat; default all)" };
        var title = new Option<string?>("--title") { Description = "A title for the manifest" };
        var parts = new Option<string[]>("--part") { Description = "An optional part to freeze too: waveforms, outputs or alerts (repeat)" };
        parts.AcceptOnlyFromAmong("waveforms", "outputs", "alerts");
        var labels = new Option<string[]>("--label") { Description = "A range labelled by hand: RIG,START,END,CLASS (repeat; times RFC 3339 or now-1h)" };
        var hide = new Option<bool>("--hide-labels") { Description = "Keep the labels out of the dataset's files (for an assignment)" };
        var state = AccessOptions.State();
        var api = Api();
        var who = As();
        var command = new Command("freeze", "Freezes the samples of rigs in [from, to) into a new dataset version. Last line: dataset id=ID version=V rows=N sha256=H")
        {
            rigs, from, to, site, sensors, title, parts, labels, hide, state, api, who,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = await ApiCall.ClientAsync(result.GetValue(state)!, result.GetValue(api)!, result.GetValue(who)!, cancellationToken);
            using var response = await http.PostAsJsonAsync("/api/datasets", new
            {
                site = result.GetValue(site), rigs = result.GetValue(rigs), from = result.GetValue(from), to = result.GetValue(to),
                sensors = result.GetValue(sensors) ?? [], title = result.GetValue(title), parts = result.GetValue(parts) ?? [],
                labels = (result.GetValue(labels) ?? []).Select(HandLabel).ToArray(), hide_labels = result.GetValue(hide),
            }, Json, cancellationToken);
            var body = await ApiCall.EnsureAsync(response, cancellationToken);
            var frozen = body.RootElement;
            foreach (var f in frozen.GetProperty("files").EnumerateArray())
                result.InvocationConfiguration.Output.WriteLine($"file {f.GetProperty("name").GetString()} rows={f.GetProperty("rows").GetInt64()} bytes={f.GetProperty("bytes").GetInt64()} sha256={f.GetProperty("sha256").GetString()}");
            result.InvocationConfiguration.Output.WriteLine($"dataset id={frozen.GetProperty("id").GetString()} version={frozen.GetProperty("version").GetInt32()} rows={frozen.GetProperty("rows").GetInt64()} sha256={frozen.GetProperty("sha256").GetString()}");
            return CliRoot.Success;
        });
        return command;
    }

    private static Command Get()
    {
        var id = new Argument<string>("id") { Description = "The dataset's id (ds-…)" };
        var format = new Option<string>("--format") { Description = "csv, parquet or replay (the samples table)", DefaultValueFactory = _ => "csv" };
        var resource = new Option<string?>("--resource") { Description = "Another file of the dataset by name (datapackage.json, README.md, replay-RIG-STREAM.csv)" };
        var version = new Option<int?>("--version") { Description = "The version (default: the newest)" };
        var output = new Option<string>("--out") { Description = "Where to write the file", Required = true };
        var state = AccessOptions.State();
        var api = Api();
        var who = As();
        var command = new Command("get", "Downloads one file of a dataset exactly as frozen. Last line: dataset file=PATH sha256=H")
        {
            id, format, resource, version, output, state, api, who,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = await ApiCall.ClientAsync(result.GetValue(state)!, result.GetValue(api)!, result.GetValue(who)!, cancellationToken);
            var dataset = result.GetValue(id)!;
            using var manifestResponse = await http.GetAsync($"/api/datasets/{Uri.EscapeDataString(dataset)}" + (result.GetValue(version) is { } v ? $"?version={v}" : ""), cancellationToken);
            var manifest = (await ApiCall.EnsureAsync(manifestResponse, cancellationToken)).RootElement;
            // The manifest's version is semantic ("3.0.0", Data Package v2): its major number is the dataset version.
            int ver = int.Parse(manifest.GetProperty("version").GetString()!.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
            var resources = manifest.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("path").GetString()!).ToList();
            string name = result.GetValue(resource) ?? result.GetValue(format) switch
            {
                "csv" => "samples.csv",
                "parquet" => "samples.parquet",
                "replay" => resources.FirstOrDefault(r => r.StartsWith("replay-", StringComparison.Ordinal)) is { } r && resources.Count(x => x.StartsWith("replay-", StringComparison.Ordinal)) == 1
                    ? r : throw new UsageException($"the dataset has several replay files ({string.Join(", ", resources.Where(x => x.StartsWith("replay-", StringComparison.Ordinal)))}): name one with --resource"),
                var other => throw new UsageException($"--format: csv, parquet or replay (not '{other}')"),
            };
            using var response = await http.GetAsync($"/api/datasets/{Uri.EscapeDataString(dataset)}/versions/{ver}/files/{Uri.EscapeDataString(name)}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode) await ApiCall.EnsureAsync(response, cancellationToken);
            var path = Path.GetFullPath(result.GetValue(output)!);
            await using (var file = File.Create(path))
            {
                await response.Content.CopyToAsync(file, cancellationToken);
            }
            await using var read = File.OpenRead(path);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, cancellationToken));
            result.InvocationConfiguration.Output.WriteLine($"dataset file={path} sha256={hash}");
            return CliRoot.Success;
        });
        return command;
    }

    private static Command List()
    {
        var state = AccessOptions.State();
        var api = Api();
        var who = As();
        var command = new Command("list", "The datasets the user may read. Last line: datasets count=N") { state, api, who };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = await ApiCall.ClientAsync(result.GetValue(state)!, result.GetValue(api)!, result.GetValue(who)!, cancellationToken);
            using var response = await http.GetAsync("/api/datasets", cancellationToken);
            var list = (await ApiCall.EnsureAsync(response, cancellationToken)).RootElement;
            foreach (var d in list.EnumerateArray())
                result.InvocationConfiguration.Output.WriteLine($"{d.GetProperty("id").GetString()} v{d.GetProperty("version").GetInt32()} {d.GetProperty("site").GetString()} " +
                    $"{string.Join(',', d.GetProperty("rigs").EnumerateArray().Select(r => r.GetString()))} {d.GetProperty("from").GetString()} … {d.GetProperty("to").GetString()} rows={d.GetProperty("rows").GetInt64()}");
            result.InvocationConfiguration.Output.WriteLine($"datasets count={list.GetArrayLength()}");
            return CliRoot.Success;
        });
        return command;
    }

    // RIG,START,END,CLASS → the API's hand-made label; the API checks the values, the CLI only the shape.
    private static object HandLabel(string text)
    {
        var cells = text.Split(',', 4);
        if (cells.Length != 4 || cells.Any(c => c.Trim().Length == 0)) throw new UsageException($"--label '{text}': RIG,START,END,CLASS");
        return new { rig = cells[0].Trim(), start = cells[1].Trim(), end = cells[2].Trim(), label = cells[3].Trim() };
    }
}

using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Fieldlab.LocalServers;

/// <summary>Debian's real Prometheus on a free loopback port, scraping with deploy/prometheus/prometheus.yml — the
/// deployment's own file with only the targets, the credential file's path and the intervals replaced
/// (<see cref="ScrapeConfig"/>) — and read back through its HTTP query API.</summary>
public sealed class LocalPrometheus : ServerProcess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private LocalPrometheus(string config) : base("prometheus")
    {
        Port = FreePort.Next();
        File.WriteAllText(ConfigFile, config);
    }

    /// <summary>The HTTP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Base URL of the web and query API.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    private string ConfigFile => System.IO.Path.Combine(Directory, "prometheus.yml");

    /// <inheritdoc />
    protected override string CommandLine =>
        $"prometheus --config.file='{ConfigFile}' --storage.tsdb.path='{System.IO.Path.Combine(Directory, "data")}' --web.listen-address=127.0.0.1:{Port}";

    /// <summary>Starts Prometheus with <paramref name="config"/> (see <see cref="ScrapeConfig"/>).</summary>
    public static async Task<LocalPrometheus> StartNewAsync(string config, CancellationToken cancellationToken = default)
    {
        var server = new LocalPrometheus(config);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <inheritdoc />
    protected override async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"{Url}/-/ready", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The result vector of an instant PromQL query (<c>/api/v1/query</c>): one (labels, value) per series.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql, CancellationToken cancellationToken = default)
    {
        using var body = await GetDataAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}", cancellationToken);
        var data = body.RootElement.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector") throw new InvalidOperationException($"'{promql}' is not an instant vector query.");
        return [.. data.GetProperty("result").EnumerateArray().Select(r => (
            (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The active targets (<c>/api/v1/targets</c>): job, scrape URL, health (<c>up</c>, <c>down</c>, <c>unknown</c>) and last error.</summary>
    public async Task<IReadOnlyList<(string Job, string ScrapeUrl, string Health, string LastError)>> TargetsAsync(CancellationToken cancellationToken = default)
    {
        using var body = await GetDataAsync("/api/v1/targets?state=active", cancellationToken);
        return [.. body.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Select(t => (
            t.GetProperty("labels").GetProperty("job").GetString()!, t.GetProperty("scrapeUrl").GetString()!,
            t.GetProperty("health").GetString()!, t.GetProperty("lastError").GetString() ?? ""))];
    }

    /// <summary>deploy/prometheus/prometheus.yml for a local run: each job's static targets replaced by
    /// <paramref name="targets"/>[job] (every job of the file must be given, and only those), every
    /// <c>credentials_file</c> by <paramref name="credentialsFile"/>, and the global intervals by
    /// <paramref name="interval"/>. Job names, metrics paths, schemes and authorization types stay as deployed.</summary>
    public static string ScrapeConfig(IReadOnlyDictionary<string, string> targets, TimeSpan interval, string credentialsFile)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RepositoryRoot.File("deploy", "prometheus", "prometheus.yml"))) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var seconds = $"{interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        var global = (YamlMappingNode)root.Children[new YamlScalarNode("global")];
        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode(seconds);
        global.Children[new YamlScalarNode("scrape_timeout")] = new YamlScalarNode(seconds);
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode(seconds);
        var jobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in ((YamlSequenceNode)root.Children[new YamlScalarNode("scrape_configs")]).Cast<YamlMappingNode>())
        {
            var name = ((YamlScalarNode)job.Children[new YamlScalarNode("job_name")]).Value!;
            if (!targets.TryGetValue(name, out var target)) throw new ArgumentException($"No local target given for job '{name}' of deploy/prometheus/prometheus.yml.", nameof(targets));
            jobs.Add(name);
            var statics = (YamlSequenceNode)job.Children[new YamlScalarNode("static_configs")];
            if (statics.Children.Count != 1) throw new InvalidOperationException($"Job '{name}' has {statics.Children.Count} static_configs; expected one to retarget.");
            ((YamlMappingNode)statics[0]).Children[new YamlScalarNode("targets")] = new YamlSequenceNode(new YamlScalarNode(target));
            if (job.Children.TryGetValue(new YamlScalarNode("authorization"), out var auth) && auth is YamlMappingNode authorization
                && authorization.Children.ContainsKey(new YamlScalarNode("credentials_file")))
            {
                authorization.Children[new YamlScalarNode("credentials_file")] = new YamlScalarNode(credentialsFile);
            }
        }
        var extra = targets.Keys.Except(jobs).ToList();
        if (extra.Count > 0) throw new ArgumentException($"deploy/prometheus/prometheus.yml has no job {string.Join(", ", extra)}.", nameof(targets));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private async Task<JsonDocument> GetDataAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(Url + path, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} → {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text);
        if (body.RootElement.GetProperty("status").GetString() != "success") throw new InvalidOperationException($"GET {path}: {text}");
        return body;
    }
}

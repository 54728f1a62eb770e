using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fieldlab.Deploy.Tests.Docker;

namespace Fieldlab.Deploy.Tests.Compose;

/// <summary>What Fieldlab asks of its compose file beyond the schema. Each rule returns one line per problem, naming the
/// service and what is wrong; an empty list is a pass.</summary>
internal static partial class ComposeRules
{
    /// <summary>Published ports that may listen beyond 127.0.0.1: the broker's TLS listener the hall's gateways reach.</summary>
    public static readonly IReadOnlySet<string> HallPorts = new HashSet<string> { "mosquitto:8883" };


    /// <summary>Services others wait for with <c>service_completed_successfully</c>: one-shots.</summary>
    public static IReadOnlySet<string> OneShots(ComposeDocument compose) =>
        compose.Services.SelectMany(s => DependsOn(s.Service)).Where(d => d.Condition == "service_completed_successfully").Select(d => d.Name).ToHashSet();

    /// <summary>Every long-running service has a healthcheck that is not disabled; one-shots have none to have.</summary>
    public static IEnumerable<string> Healthchecks(ComposeDocument compose)
    {
        var oneShots = OneShots(compose);
        foreach (var (name, service) in compose.Services.Where(s => !oneShots.Contains(s.Name)))
        {
            if (service["healthcheck"] is not JsonObject check) yield return $"{name}: no healthcheck";
            else if (check["disable"]?.GetValue<bool>() == true) yield return $"{name}: healthcheck disabled";
            else if (check["test"] is null) yield return $"{name}: healthcheck without a test";
        }
    }

    /// <summary>Every service says how it restarts: long-running ones come back (always, unless-stopped, on-failure),
    /// one-shots explicitly do not ("no": a failure stops <c>up</c> with its log).</summary>
    public static IEnumerable<string> RestartPolicies(ComposeDocument compose)
    {
        var oneShots = OneShots(compose);
        foreach (var (name, service) in compose.Services)
        {
            var restart = service["restart"]?.GetValue<string>();
            if (restart is null) yield return $"{name}: no restart policy";
            else if (oneShots.Contains(name) && restart != "no") yield return $"{name}: a one-shot must not restart (restart: \"no\"), has '{restart}'";
            else if (!oneShots.Contains(name) && !(restart is "always" or "unless-stopped" || restart.StartsWith("on-failure", StringComparison.Ordinal)))
                yield return $"{name}: a long-running service must restart (always, unless-stopped, on-failure), has '{restart}'";
        }
    }

    /// <summary>Every <c>depends_on</c> (and <c>pid: service:…</c>) names a service of the file.</summary>
    public static IEnumerable<string> Dependencies(ComposeDocument compose)
    {
        var names = compose.Services.Select(s => s.Name).ToHashSet();
        foreach (var (name, service) in compose.Services)
        {
            foreach (var dependency in DependsOn(service).Where(d => !names.Contains(d.Name))) yield return $"{name}: depends_on names no service '{dependency.Name}'";
            if (service["pid"]?.GetValue<string>() is { } pid && pid.StartsWith("service:", StringComparison.Ordinal) && !names.Contains(pid["service:".Length..]))
                yield return $"{name}: pid names no service '{pid["service:".Length..]}'";
        }
    }

    /// <summary>Every named volume a service mounts is declared under the top-level <c>volumes</c>.</summary>
    public static IEnumerable<string> NamedVolumes(ComposeDocument compose)
    {
        var declared = (compose.Root["volumes"] as JsonObject ?? []).Select(kv => kv.Key).ToHashSet();
        foreach (var (name, service) in compose.Services)
            foreach (var mount in Mounts(service).Where(m => m.Type == "volume" && !declared.Contains(m.Source)))
                yield return $"{name}: volume '{mount.Source}' is not declared under volumes";
    }

    /// <summary>Every relative bind mount's source exists (resolved against the compose file's directory); absolute
    /// host paths (from .env) are the operator's.</summary>
    public static IEnumerable<string> MountedPaths(ComposeDocument compose, string repositoryRoot)
    {
        foreach (var (name, service) in compose.Services)
        {
            foreach (var mount in Mounts(service).Where(m => m.Type == "bind" && m.Source.StartsWith('.')))
            {
                var path = Path.GetFullPath(Path.Combine(compose.Directory, mount.Source));
                if (File.Exists(path) || Directory.Exists(path)) continue;
                yield return $"{name}: mounted path '{mount.Source}' does not exist ({path})";
            }
        }
    }

    /// <summary>Every variable the file uses is listed in .env.example; .env.example fills in no secret; a secret is
    /// always required (<c>${NAME:?message}</c>), so that Compose refuses to start without it.</summary>
    public static IEnumerable<string> Variables(ComposeDocument compose, string composeText, EnvFile example)
    {
        foreach (var variable in compose.Variables.Order(StringComparer.Ordinal).Where(v => !example.Values.ContainsKey(v)))
            yield return $"${{{variable}}} is used but not listed in .env.example";
        foreach (var (variable, value) in example.Values.Where(kv => EnvFile.IsSecret(kv.Key) && kv.Value.Length > 0))
            yield return $".env.example fills in the secret {variable}";
        foreach (Match reference in SecretReference().Matches(composeText))
            if (EnvFile.IsSecret(reference.Groups["name"].Value) && reference.Groups["modifier"].Value != ":?")
                yield return $"the secret {reference.Groups["name"].Value} is used without ':?' ({reference.Value}…): Compose would start without it";
    }

    /// <summary>Published ports bind to 127.0.0.1, except <see cref="HallPorts"/>.</summary>
    public static IEnumerable<string> PublishedPorts(ComposeDocument compose)
    {
        foreach (var (name, service) in compose.Services)
        {
            foreach (var port in (service["ports"] as JsonArray ?? []).Select(p => p?.ToString() ?? ""))
            {
                // host_ip:published:target[/protocol]; without host_ip Docker binds every interface.
                var parts = port.Split(':');
                string target = parts[^1].Split('/')[0];
                string hostIp = parts.Length == 3 ? parts[0] : "0.0.0.0";
                if (hostIp != "127.0.0.1" && !HallPorts.Contains($"{name}:{target}"))
                    yield return $"{name}: port '{port}' is published on {hostIp}, not 127.0.0.1";
            }
        }
    }

    /// <summary>Every <c>build:</c> names a Dockerfile that exists and passes <see cref="DockerfileRules"/>.</summary>
    public static IEnumerable<string> Builds(ComposeDocument compose)
    {
        foreach (var (name, service) in compose.Services)
        {
            if (service["build"] is not { } build) continue;
            string context = Path.GetFullPath(Path.Combine(compose.Directory, build is JsonObject o ? o["context"]?.GetValue<string>() ?? "." : build.GetValue<string>()));
            string dockerfile = Path.Combine(context, build is JsonObject b ? b["dockerfile"]?.GetValue<string>() ?? "Dockerfile" : "Dockerfile");
            if (!File.Exists(dockerfile)) { yield return $"{name}: Dockerfile '{dockerfile}' does not exist"; continue; }
            foreach (var problem in DockerfileRules.Check(File.ReadAllText(dockerfile), context)) yield return $"{name}: {Path.GetFileName(dockerfile)}: {problem}";
        }
    }

    /// <summary>Every rule at once.</summary>
    public static IReadOnlyList<string> All(ComposeDocument compose, string composeText, EnvFile example, string repositoryRoot) =>
    [
        .. Healthchecks(compose), .. RestartPolicies(compose), .. Dependencies(compose), .. NamedVolumes(compose),
        .. MountedPaths(compose, repositoryRoot), .. Variables(compose, composeText, example), .. PublishedPorts(compose), .. Builds(compose),
    ];

    private static IEnumerable<(string Name, string? Condition)> DependsOn(JsonObject service) => service["depends_on"] switch
    {
        JsonArray list => list.Select(n => (n!.GetValue<string>(), (string?)"service_started")),
        JsonObject map => map.Select(kv => (kv.Key, kv.Value?["condition"]?.GetValue<string>())),
        _ => [],
    };

    private static IEnumerable<(string Type, string Source)> Mounts(JsonObject service)
    {
        foreach (var volume in service["volumes"] as JsonArray ?? [])
        {
            if (volume is JsonObject mount)
            {
                yield return (mount["type"]?.GetValue<string>() ?? "", mount["source"]?.GetValue<string>() ?? "");
                continue;
            }
            string text = volume?.GetValue<string>() ?? "";
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue; // an anonymous volume: no state worth keeping
            string source = text[..colon];
            yield return (source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~') ? "bind" : "volume", source);
        }
    }

    [GeneratedRegex(@"\$\{(?<name>[_A-Za-z][_A-Za-z0-9]*)(?<modifier>:\?|:-|:\+|\?|-|\+)?")]
    private static partial Regex SecretReference();
}

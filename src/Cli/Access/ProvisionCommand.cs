using System.CommandLine;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Database;
using Fieldlab.Access.Demo;
using Fieldlab.Access.Secrets;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Cli.Access;

/// <summary><c>access provision</c> and <c>access influx</c>: what <c>./fieldlab up</c> runs to secure a fresh
/// Fieldlab — secrets, the metadata store (migrated; the demo tenancy when empty), the broker's access files, and
/// InfluxDB's admin and service users.</summary>
internal static class ProvisionCommand
{
    /// <summary>The <c>access</c> command group.</summary>
    public static Command Create()
    {
        var access = new Command("access", "Secure a Fieldlab: secrets, metadata store, broker access files, database users.");
        access.Subcommands.Add(Provision());
        access.Subcommands.Add(Influx());
        access.Subcommands.Add(Reload());
        return access;
    }

    private static Command Provision()
    {
        var state = AccessOptions.State();
        var port = AccessOptions.MqttPort();
        var demo = new Option<bool>("--demo") { Description = "Seed the demo tenancy if the store has no users", DefaultValueFactory = _ => true };
        var command = new Command("provision", "Generates missing secrets, migrates the metadata store (seeding the demo tenancy if it is empty), " +
            "registers the services and renders the broker's access files. Last line: provision store=S users=N rigs=N principals=N broker=OUTCOME") { state, port, demo };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            await using var context = await AccessContext.OpenAsync(result.GetValue(state)!, result.GetValue(port), cancellationToken);
            var layout = context.Layout;
            foreach (var user in new[] { "admin", "ingest", "api" }) SecretFiles.ReadOrCreate(layout.InfluxPasswordFile(user), 24);
            var apiKey = SecretFiles.ReadOrCreate(layout.ApiIngestKey);
            var operatorKey = SecretFiles.ReadOrCreate(layout.OperatorIngestKey);
            SecretFiles.WriteAtomically(layout.IngestServiceKeys, apiKey + "\n" + operatorKey + "\n");

            var now = DateTime.UtcNow;
            var seeded = result.GetValue(demo) ? await DemoTenancy.SeedIfEmptyAsync(context.Db, context.Users, now, cancellationToken) : new Dictionary<string, string>();
            if (seeded.Count > 0)
            {
                GeneratedPasswordsFile.Update(layout.GeneratedPasswords, seeded.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
                output.WriteLine($"demo tenancy seeded: {string.Join(", ", seeded.Keys)}; passwords in {layout.GeneratedPasswords}");
            }
            await SiteRegistry.EnsureServiceAsync(context.Db, "ingest-1", ServiceKind.Ingest, now, cancellationToken);
            await SiteRegistry.EnsureServiceAsync(context.Db, "api-1", ServiceKind.Api, now, cancellationToken);

            var (principals, _) = await context.Plan.BuildAsync(context.Db, now, cancellationToken);
            // Machines get their broker passwords as files (people get theirs from ./fieldlab credentials).
            var machines = principals.Where(p => p.Username.StartsWith("svc.", StringComparison.Ordinal) || p.Username.StartsWith("gw.", StringComparison.Ordinal)).ToList();
            foreach (var p in machines)
            {
                var file = layout.MqttPasswordFile(p.Username);
                SecretFiles.EnsurePrivateDirectory(Path.GetDirectoryName(file)!);
                if (!File.Exists(file) || File.ReadAllText(file).Trim() != p.Password) SecretFiles.WriteAtomically(file, p.Password + "\n");
            }
            var outcome = await new BrokerReloader(context.Broker).ApplyAsync(principals, cancellationToken);
            int users = await context.Db.Users.CountAsync(cancellationToken);
            int rigs = await context.Db.Rigs.CountAsync(cancellationToken);
            output.WriteLine($"provision store={context.Store.Provider} users={users} rigs={rigs} principals={principals.Count} broker={outcome.ToString().ToLowerInvariant()}");
            return CliRoot.Success;
        });
        return command;
    }

    private static Command Influx()
    {
        var state = AccessOptions.State();
        var url = new Option<string>("--url") { Description = "InfluxDB's HTTP address", DefaultValueFactory = _ => "http://127.0.0.1:28086" };
        var database = new Option<string>("--database") { Description = "The Fieldlab database", DefaultValueFactory = _ => "fieldlab" };
        var retention = new Option<string>("--waveform-retention") { Description = "How long raw waveform frames are kept", DefaultValueFactory = _ => "1h" };
        var samples = new Option<string>("--samples-retention") { Description = "How long raw samples are kept (their means outlive them)", DefaultValueFactory = _ => "30d" };
        var minuteMeans = new Option<string>("--minute-means-retention") { Description = "How long 1-minute means are kept", DefaultValueFactory = _ => "730d" };
        var hourMeans = new Option<string>("--hour-means-retention") { Description = "How long 1-hour means are kept (inf: for good)", DefaultValueFactory = _ => "inf" };
        var backfill = new Option<string?>("--backfill-means") { Description = "Also compute the means of the last DURATION of samples (after an upgrade, or a long backlog), e.g. 30d" };
        var command = new Command("influx", "Creates InfluxDB's admin on the first start, the database, its retention policies and continuous queries " +
            "(docs/telemetry.md), a write-only user for ingest and read-only users for the API and for Grafana (passwords from the secrets; run again to rotate). " +
            "Last line: influx database=D users=ingest,api,grafana") { state, url, database, retention, samples, minuteMeans, hourMeans, backfill };
        command.SetAction(async (result, cancellationToken) =>
        {
            var layout = new StateLayout(result.GetValue(state)!);
            var keep = new RetentionSettings
            {
                Waveform = Duration.Parse(result.GetValue(retention)) ?? throw new UsageException("--waveform-retention: a duration (e.g. 1h)"),
                Samples = Duration.Parse(result.GetValue(samples)) ?? throw new UsageException("--samples-retention: a duration (e.g. 30d)"),
                MinuteMeans = Duration.Parse(result.GetValue(minuteMeans)) ?? throw new UsageException("--minute-means-retention: a duration (e.g. 730d)"),
                HourMeans = result.GetValue(hourMeans) is "inf" or "INF" ? null
                    : Duration.Parse(result.GetValue(hourMeans)) ?? throw new UsageException("--hour-means-retention: a duration (e.g. 3650d) or inf"),
            };
            if (keep.Validate().FirstOrDefault() is { } problem) throw new UsageException(problem);
            TimeSpan? backfillSpan = result.GetValue(backfill) is { } b ? Duration.Parse(b) ?? throw new UsageException("--backfill-means: a duration (e.g. 30d)") : null;
            var admin = new InfluxOptions
            {
                Url = result.GetValue(url)!,
                Database = result.GetValue(database)!,
                Username = "admin",
                Password = SecretFiles.ReadOrCreate(layout.InfluxPasswordFile("admin"), 24),
            };
            await InfluxProvisioning.ProvisionAsync(admin,
            [
                new InfluxProvisioning.ServiceUser("ingest", SecretFiles.ReadOrCreate(layout.InfluxPasswordFile("ingest"), 24), "WRITE"),
                new InfluxProvisioning.ServiceUser("api", SecretFiles.ReadOrCreate(layout.InfluxPasswordFile("api"), 24), "READ"),
                // Grafana's own reader (dashboards/provisioning): it sees every site and pilot, so it is the staff's, and it
                // is revoked or rotated without touching the API's login.
                new InfluxProvisioning.ServiceUser("grafana", SecretFiles.ReadOrCreate(layout.InfluxPasswordFile("grafana"), 24), "READ"),
            ], keep, cancellationToken);
            if (backfillSpan is { } span)
            {
                using var client = new InfluxClient(admin);
                var now = DateTimeOffset.UtcNow;
                await InfluxDatabaseSetup.BackfillAsync(client, now - span, now, cancellationToken);
            }
            result.InvocationConfiguration.Output.WriteLine($"influx database={admin.Database} users=ingest,api,grafana");
            return CliRoot.Success;
        });
        return command;
    }

    private static Command Reload()
    {
        var state = AccessOptions.State();
        var port = AccessOptions.MqttPort();
        var command = new Command("reload", "Renders the broker's access files from the store and makes the broker read them. Last line: reload broker=OUTCOME") { state, port };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var context = await AccessContext.OpenAsync(result.GetValue(state)!, result.GetValue(port), cancellationToken);
            var outcome = await context.ApplyBrokerAccessAsync(cancellationToken);
            result.InvocationConfiguration.Output.WriteLine($"reload broker={outcome.ToString().ToLowerInvariant()}");
            return CliRoot.Success;
        });
        return command;
    }
}

using System.CommandLine;
using Fieldlab.Cli.Access;

namespace Fieldlab.Cli.Backup;

/// <summary><c>backup DIR</c> and <c>restore DIR</c> (docs/backup.md). Last lines:
/// <c>backup dir=DIR influx_points=N datasets=D files=F bytes=B</c>, <c>restore dir=DIR influx_points=N datasets=D files=F</c>.</summary>
internal static class BackupCommand
{
    /// <summary>Both commands.</summary>
    public static IEnumerable<Command> Create() => [Backup(), Restore()];

    private static Command Backup()
    {
        var directory = Directory();
        var state = AccessOptions.State();
        var (url, rpc, database) = Influx();
        var withoutSecrets = new Option<bool>("--without-secrets")
        {
            Description = "Leave the secrets directory out (a restore then generates new secrets: every password, token key and session changes)",
        };
        var command = new Command("backup", "Backs up a Fieldlab while it runs: InfluxDB (portable), the metadata store, the datasets, the broker's files " +
            "and the secrets, with backup.json (sha256 of every file). Last line: backup dir=DIR influx_points=N datasets=D files=F bytes=B")
        {
            directory, state, url, rpc, database, withoutSecrets,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var request = Request(result, directory, state, url, rpc, database);
            var output = result.InvocationConfiguration.Output;
            var manifest = await new BackupRun(request, !result.GetValue(withoutSecrets), TimeProvider.System).RunAsync(output, cancellationToken);
            if (manifest.Secrets) output.WriteLine($"note: {request.Directory} holds the Fieldlab's secrets; store it as you store them");
            output.WriteLine(BackupRun.Summary(request.Directory, manifest));
            return CliRoot.Success;
        });
        return command;
    }

    private static Command Restore()
    {
        var directory = Directory();
        var state = AccessOptions.State();
        var (url, rpc, database) = Influx();
        var influxData = new Option<string?>("--influx-data")
        {
            Description = "InfluxDB's data directory, to refuse a server that has the database already (default: STATE/influxdb/data)",
        };
        var check = new Option<bool>("--check") { Description = "Only check the backup's files and that the state is empty and stopped; change nothing" };
        var command = new Command("restore", "Restores a backup into a stopped, empty Fieldlab state (InfluxDB must run, empty, on --influx-rpc); " +
            "every file is checked against backup.json first. Last line: restore dir=DIR influx_points=N datasets=D files=F")
        {
            directory, state, url, rpc, database, influxData, check,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var request = Request(result, directory, state, url, rpc, database);
            var data = Path.GetFullPath(result.GetValue(influxData) ?? Path.Combine(request.State.Root, "influxdb", "data"));
            var line = await new RestoreRun(request, data).RunAsync(result.GetValue(check), result.InvocationConfiguration.Output,
                result.InvocationConfiguration.Error, cancellationToken);
            result.InvocationConfiguration.Output.WriteLine(line);
            return CliRoot.Success;
        });
        return command;
    }

    private static Argument<string> Directory() => new("dir") { Description = "The backup directory" };

    private static (Option<string> Url, Option<string> Rpc, Option<string> Database) Influx() =>
    (
        new Option<string>("--influx-url")
        {
            Description = "InfluxDB's HTTP address (points are counted there; users made there on restore)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIELDLAB_INFLUX_URL") ?? "http://127.0.0.1:28086",
        },
        new Option<string>("--influx-rpc")
        {
            Description = "InfluxDB's backup/restore RPC address (host:port; it has no authentication, keep it on 127.0.0.1)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIELDLAB_INFLUX_RPC") ?? "127.0.0.1:28088",
        },
        new Option<string>("--database") { Description = "The Fieldlab database", DefaultValueFactory = _ => "fieldlab" }
    );

    private static BackupRequest Request(ParseResult result, Argument<string> directory, Option<string> state, Option<string> url, Option<string> rpc, Option<string> database)
    {
        var address = result.GetValue(rpc)!;
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out int port) || port is < 1 or > 65535)
            throw new UsageException($"--influx-rpc: host:port (was '{address}')");
        if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out _)) throw new UsageException($"--influx-url: an absolute URL (was '{result.GetValue(url)}')");
        var name = result.GetValue(database)!;
        if (Fieldlab.Telemetry.Influx.InfluxIdentifier.ExplainInvalid(name) is { } problem) throw new UsageException("--database: " + problem);
        return new BackupRequest(Path.GetFullPath(result.GetValue(directory)!), new StateLayout(result.GetValue(state)!), result.GetValue(url)!, address, name);
    }
}

using System.CommandLine;

namespace Fieldlab.Cli.Load;

/// <summary><c>loadgen</c>: the load generator that the benchmarks start as a separate process (<see cref="LoadProcess"/>).</summary>
internal static class LoadgenCommand
{
    /// <summary>The <c>loadgen</c> command.</summary>
    public static Command Create()
    {
        var defaults = new LoadgenSettings();
        var port = new Option<int>("--port") { Description = "The broker's port on 127.0.0.1", DefaultValueFactory = _ => defaults.Port };
        var site = new Option<string>("--site") { Description = "The rig's site (topic)", DefaultValueFactory = _ => defaults.Site };
        var rig = new Option<string>("--rig") { Description = "The rig's name (topic)", DefaultValueFactory = _ => defaults.Rig };
        var rows = new Option<long>("--rows") { Description = "Rows to publish", DefaultValueFactory = _ => defaults.Rows };
        var batch = new Option<int>("--batch") { Description = "Rows per message", DefaultValueFactory = _ => defaults.Batch };
        var sensors = new Option<int>("--sensors") { Description = "Sensors (values) per row", DefaultValueFactory = _ => defaults.Sensors };
        var startSeq = new Option<long>("--start-seq") { Description = "Sequence number of the first row", DefaultValueFactory = _ => defaults.StartSeq };
        var rate = new Option<double>("--rate") { Description = "Rows per second; 0: as fast as the broker takes them", DefaultValueFactory = _ => defaults.Rate };
        var periodNs = new Option<long>("--period-ns") { Description = "Spacing of the rows' timestamps, in ns", DefaultValueFactory = _ => defaults.PeriodNs };
        var live = new Option<bool>("--live") { Description = "Stamp every row with the time it is published (for end-to-end latency)" };
        // No default in the parser: it depends on the clock and on --start-seq, --rows and --period-ns.
        var startNs = new Option<long?>("--start-ns") { Description = "Timestamp of the first row, ns since the epoch [default: so that the timeline ends now]" };
        var username = new Option<string?>("--username") { Description = "Broker user (the rig's gateway principal on a secured broker)" };
        var passwordFile = new Option<string?>("--password-file") { Description = "File with the broker password of --username" };
        var command = new Command("loadgen", "Publish rows of the bench rig at QoS 1 (run as a separate process by the benchmarks).")
        {
            port, site, rig, rows, batch, sensors, startSeq, rate, periodNs, live, startNs, username, passwordFile,
        };
        command.SetAction((result, cancellationToken) => LoadGenerator.RunAsync(new LoadgenSettings
        {
            Port = result.GetValue(port),
            Site = result.GetRequiredValue(site),
            Rig = result.GetRequiredValue(rig),
            Rows = result.GetValue(rows),
            Batch = result.GetValue(batch),
            Sensors = result.GetValue(sensors),
            StartSeq = result.GetValue(startSeq),
            Rate = result.GetValue(rate),
            PeriodNs = result.GetValue(periodNs),
            Live = result.GetValue(live),
            StartNs = result.GetValue(startNs),
            Username = result.GetValue(username),
            PasswordFile = result.GetValue(passwordFile),
        }, cancellationToken));
        return command;
    }
}

using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Fieldlab.Testing;

namespace Fieldlab.Cli.Tests;

/// <summary>The command line through the real parser (<see cref="CliRoot"/>): help for every command, usage errors with
/// exit code 2, and options that parse to typed values with the defaults the hand-written parser had.</summary>
public sealed class CliRootTests
{
    // The names scripts and docs use; help must show every one of them.
    [Theory]
    [InlineData("", "bench eval chaos loadgen --help --version")]
    [InlineData("bench", "ingest gateway features")]
    [InlineData("bench ingest", "--rows --batch --sensors --db-batch --db-writers --latency-seconds --ingest-writers --ingest-batch")]
    [InlineData("bench gateway", "--rows --sensors --batch")]
    [InlineData("bench features", "--rounds --passes --ref")]
    [InlineData("eval", "skab cwru cmapss fuelcell")]
    [InlineData("eval skab", "<DIR> --train-rows --raise --clear --nab-window --quantile --margin")]
    [InlineData("eval cwru", "<DIR> --train --test --rate --trees --train-share")]
    [InlineData("eval cmapss", "<DIR> --subset --trees")]
    [InlineData("eval fuelcell", "<DIR>")]
    [InlineData("chaos", "--scale --rate")]
    [InlineData("replay", "--speed --version --class --hours --state --mqtt-port --api --as")]
    [InlineData("loadgen", "--port --site --rig --rows --batch --sensors --start-seq --rate --period-ns --live --start-ns")]
    public async Task Help_ExitsZero_AndNamesEveryOption(string command, string names)
    {
        var (code, output, error) = await RunAsync([.. Words(command), "--help"]);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains($"Fieldlab.Cli {command}".TrimEnd(), output);
        foreach (var name in Words(names)) Assert.Contains(name, output);
    }

    [Fact]
    public async Task EveryCommandInTheTree_HasHelp_AndEveryCommandAndOptionADescription()
    {
        var commands = new List<(string Path, Command Command)>();
        void Walk(string path, Command command)
        {
            commands.Add((path, command));
            foreach (var sub in command.Subcommands) Walk($"{path} {sub.Name}".Trim(), sub);
        }
        Walk("", CliRoot.Create());

        Assert.Equal(["access", "audit", "backup", "bench", "chaos", "credentials", "dataset", "erasures", "eval", "loadgen", "orgs", "pilots", "replay", "restore", "rigs", "sites", "users"],
            CliRoot.Create().Subcommands.Select(c => c.Name).Order().ToArray());
        Assert.Equal(46, commands.Count); // the root, the 17 above and their subcommands
        foreach (var (path, command) in commands)
        {
            Assert.False(string.IsNullOrWhiteSpace(command.Description), $"'{path}' has no description");
            foreach (var option in command.Options) Assert.False(string.IsNullOrWhiteSpace(option.Description), $"'{path} {option.Name}' has no description");
            foreach (var argument in command.Arguments) Assert.False(string.IsNullOrWhiteSpace(argument.Description), $"'{path} {argument.Name}' has no description");

            var (code, output, _) = await RunAsync([.. Words(path), "--help"]);
            Assert.Equal(0, code);
            foreach (var option in command.Options) Assert.Contains(option.Name, output);
            foreach (var sub in command.Subcommands) Assert.Contains(sub.Name, output);
        }
    }

    [Theory]
    [InlineData("bench ingest --bogus 1", "--bogus")]
    [InlineData("bench gateway --row 5", "--row")]
    [InlineData("bench features --reference /tmp", "--reference")]
    [InlineData("bench console --viewers 5", "--viewers")]
    [InlineData("dataset freeze --rigs pump-1 --from now-2h --to now-1h", "--rigs")]
    [InlineData("bench datasets --hours 1", "--hours")]
    [InlineData("eval skab /tmp --train 400", "--train")]
    [InlineData("eval cmapss /tmp --subsets FD002", "--subsets")]
    [InlineData("eval fuelcell /tmp --verbose", "--verbose")]
    [InlineData("chaos --scales 0.1", "--scales")]
    [InlineData("loadgen --bogus", "--bogus")]
    public async Task UnknownOption_IsAUsageError_NamingIt(string commandLine, string option)
    {
        var (code, output, error) = await RunAsync(Words(commandLine));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains($"'{option}'", error);
    }

    [Theory]
    [InlineData("", "command")]
    [InlineData("bench", "command")]
    [InlineData("eval", "command")]
    [InlineData("eval skab", "DIR")]
    [InlineData("eval cmapss --subset FD002", "DIR")]
    [InlineData("eval fuelcell", "DIR")]
    [InlineData("eval cwru --test /tmp", "--train")]
    [InlineData("bench ingest --rows", "--rows")]
    [InlineData("chaos --scale", "--scale")]
    public async Task MissingCommandOrValue_IsAUsageError(string commandLine, string missing)
    {
        var (code, output, error) = await RunAsync(Words(commandLine));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(missing, error);
        Assert.Contains("--help", error); // and says where to look
    }

    [Theory]
    [InlineData("bench ingest --rows many", "--rows")]
    [InlineData("bench gateway --batch 1.5", "--batch")]
    [InlineData("eval skab /tmp --quantile high", "--quantile")]
    [InlineData("loadgen --rate fast", "--rate")]
    public async Task ValueOfTheWrongType_IsAUsageError_NamingTheOption(string commandLine, string option)
    {
        var (code, _, error) = await RunAsync(Words(commandLine));

        Assert.Equal(2, code);
        Assert.Contains(option, error);
    }

    [Fact]
    public void BenchOptions_HaveTheirDefaults_AndParseToTypedValues()
    {
        var ingest = Parse("bench ingest");
        Assert.Equal(1_000_000L, ingest.GetValue<long>("--rows"));
        Assert.Equal(500, ingest.GetValue<int>("--batch"));
        Assert.Equal(6, ingest.GetValue<int>("--sensors"));
        Assert.Equal(5000, ingest.GetValue<int>("--db-batch"));
        Assert.Equal(4, ingest.GetValue<int>("--db-writers"));
        Assert.Equal(20.0, ingest.GetValue<double>("--latency-seconds"));
        Assert.Equal(2, ingest.GetValue<int>("--ingest-writers"));
        Assert.Equal(5000, ingest.GetValue<int>("--ingest-batch"));

        var given = Parse("bench ingest --rows 20000000000 --batch 50 --latency-seconds 2.5 --ingest-writers 8");
        Assert.Equal(20_000_000_000L, given.GetValue<long>("--rows"));
        Assert.Equal(50, given.GetValue<int>("--batch"));
        Assert.Equal(2.5, given.GetValue<double>("--latency-seconds"));
        Assert.Equal(8, given.GetValue<int>("--ingest-writers"));

        var gateway = Parse("bench gateway");
        Assert.Equal(300_000, gateway.GetValue<int>("--rows"));
        Assert.Equal(8, gateway.GetValue<int>("--sensors"));
        Assert.Equal(500, gateway.GetValue<int>("--batch"));

        var features = Parse("bench features");
        Assert.Equal(3, features.GetValue<int>("--rounds"));
        Assert.Equal(5, features.GetValue<int>("--passes"));
        Assert.Null(features.GetValue<string>("--ref")); // resolved at run time: $FIELDLAB_FEATURES_REF, else ../shared
        Assert.Equal("/src/features-ref", Parse("bench features --ref /src/features-ref").GetValue<string>("--ref"));
    }

    [Fact]
    public void EvalArgumentsAndOptions_HaveTheirDefaults_AndParseToTypedValues()
    {
        var skab = Parse("eval skab data/skab");
        Assert.Equal("data/skab", skab.GetValue<string>("DIR"));
        Assert.Equal(400, skab.GetValue<int>("--train-rows"));
        Assert.Equal(3, skab.GetValue<int>("--raise"));
        Assert.Equal(10, skab.GetValue<int>("--clear"));
        Assert.Equal(60.0, skab.GetValue<double>("--nab-window"));
        Assert.Equal(0.99, skab.GetValue<double>("--quantile"));
        Assert.Equal(1.0, skab.GetValue<double>("--margin"));
        Assert.Equal(0.995, Parse("eval skab data/skab --quantile 0.995").GetValue<double>("--quantile"));

        var cwru = Parse("eval cwru --train a --test b");
        Assert.Equal("a", cwru.GetValue<string>("--train"));
        Assert.Equal("b", cwru.GetValue<string>("--test"));
        Assert.Null(cwru.GetValue<string?>("DIR"));
        Assert.Equal(12_000.0, cwru.GetValue<double>("--rate"));
        Assert.Equal(200, cwru.GetValue<int>("--trees"));
        Assert.Equal(0.7, cwru.GetValue<double>("--train-share"));
        Assert.Null(Parse("eval cwru a").GetValue<string>("--test")); // the training folder as a word is still accepted
        Assert.Equal("a", Parse("eval cwru a").GetValue<string?>("DIR"));

        var cmapss = Parse("eval cmapss data/cmapss");
        Assert.Equal("FD001", cmapss.GetValue<string>("--subset"));
        Assert.Equal(0, cmapss.GetValue<int>("--trees"));
        var fd004 = Parse("eval cmapss data/cmapss --subset FD004 --trees 400");
        Assert.Equal("FD004", fd004.GetValue<string>("--subset"));
        Assert.Equal(400, fd004.GetValue<int>("--trees"));

        Assert.Equal("data/fcl", Parse("eval fuelcell data/fcl").GetValue<string>("DIR"));
    }

    [Fact]
    public void ChaosAndLoadgenOptions_HaveTheirDefaults_AndParseToTypedValues()
    {
        var chaos = Parse("chaos");
        Assert.Equal(1.0, chaos.GetValue<double>("--scale"));
        Assert.Equal(200.0, chaos.GetValue<double>("--rate"));
        Assert.Equal(0.1, Parse("chaos --scale 0.1 --rate 100").GetValue<double>("--scale"));

        var loadgen = Parse("loadgen");
        Assert.Equal(1883, loadgen.GetValue<int>("--port"));
        Assert.Equal("bench", loadgen.GetValue<string>("--site"));
        Assert.Equal("bench-1", loadgen.GetValue<string>("--rig"));
        Assert.Equal(100_000L, loadgen.GetValue<long>("--rows"));
        Assert.Equal(500, loadgen.GetValue<int>("--batch"));
        Assert.Equal(6, loadgen.GetValue<int>("--sensors"));
        Assert.Equal(0L, loadgen.GetValue<long>("--start-seq"));
        Assert.Equal(0.0, loadgen.GetValue<double>("--rate"));
        Assert.Equal(1_000_000L, loadgen.GetValue<long>("--period-ns"));
        Assert.False(loadgen.GetValue<bool>("--live"));
        Assert.Null(loadgen.GetValue<long?>("--start-ns")); // computed at run time so that the timeline ends now

        // Exactly what LoadProcess passes to the generator process, --live last as a bare flag.
        var started = Parse("loadgen --port 21883 --site bench --rig bench-1 --rows 5000 --batch 500 --sensors 6 --start-seq 1000000 --rate 12345.678 --live");
        Assert.Empty(started.Errors);
        Assert.Equal(21883, started.GetValue<int>("--port"));
        Assert.Equal(1_000_000L, started.GetValue<long>("--start-seq"));
        Assert.Equal(12345.678, started.GetValue<double>("--rate"));
        Assert.True(started.GetValue<bool>("--live"));
        Assert.True(Parse("loadgen --live true").GetValue<bool>("--live")); // as the hand-written parser took it
        Assert.False(Parse("loadgen --live false").GetValue<bool>("--live"));
        Assert.Equal(-5L, Parse("loadgen --start-ns -5").GetValue<long?>("--start-ns")); // a negative number is a value
    }

    [Fact]
    public async Task UsageErrorFoundByTheCommand_ExitsTwo()
    {
        using var dir = new TempDirectory("cli-usage");

        var (code, output, error) = await RunAsync(["eval", "cmapss", dir.Path, "--subset", "FD010"]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("--subset: 'FD010' is not FD001 … FD009", error.TrimEnd());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FailingCommand_ExitsOne_WithTypeAndMessageOnStderr(bool trainAsOption)
    {
        using var dir = new TempDirectory("cli-failure");
        File.WriteAllText(dir.File("motor.csv"), "DE\n0.1\n");

        var (code, _, error) = await RunAsync(trainAsOption ? ["eval", "cwru", "--train", dir.Path] : ["eval", "cwru", dir.Path]);

        Assert.Equal(1, code);
        Assert.StartsWith("fieldlab: FormatException: motor.csv: the name must look like", error);
    }

    [Fact]
    public async Task CancelledRun_ExitsWith130()
    {
        // A port nobody listens on: the generator waits for the broker until it is cancelled.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, _, error) = await RunAsync(["loadgen", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--rows", "1"], new CancellationToken(canceled: true));

        Assert.Equal(130, code);
        Assert.Equal("cancelled", error.TrimEnd());
    }

    private static string[] Words(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static ParseResult Parse(string commandLine)
    {
        var result = CliRoot.Parse(Words(commandLine));
        Assert.Empty(result.Errors);
        return result;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CliRoot.InvokeAsync(args, output, error, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}

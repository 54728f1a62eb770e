using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Broker;
using Fieldlab.Cli.Access;
using Fieldlab.Cli.Tests.Eval;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Testing;

namespace Fieldlab.Cli.Tests.Access;

/// <summary>The access commands' tests run against a broker process and environment variables: one collection, never in parallel with anything.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliAccessCollection : ICollectionFixture<ProvisionedStateFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "cli-access";
}

/// <summary>A state directory provisioned by <c>access provision</c>, and a real Mosquitto (a process of its own, not <see cref="LocalMosquitto"/>) that reads that directory's access files and pid file.</summary>
public sealed class ProvisionedStateFixture : IAsyncLifetime
{
    private readonly StringBuilder _brokerOutput = new();
    private Process? _broker;

    /// <summary>The state directory.</summary>
    public TempDirectory State { get; } = new("fieldlab-cli-access");

    /// <summary>Its layout.</summary>
    public StateLayout Layout => new(State.Path);

    /// <summary>The broker's port on 127.0.0.1.</summary>
    public int BrokerPort { get; } = FreePort.Next();

    /// <summary>The broker's PID (the process this fixture started).</summary>
    public int BrokerPid => _broker!.Id;

    /// <summary>True while the broker process runs.</summary>
    public bool BrokerRunning => _broker is { HasExited: false };

    /// <summary>The broker's log file.</summary>
    public string BrokerLog => Path.Combine(State.Path, "mosquitto", "mosquitto.log");

    /// <summary>The last line of the first <c>access provision</c>.</summary>
    public string ProvisionLine { get; private set; } = "";

    /// <summary>Runs a command line of the CLI in this process.</summary>
    public static async Task<(int Code, string[] Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        int code = await CliRoot.InvokeAsync(args, output, error, timeout.Token);
        return (code, ScriptedOutput.Lines(output), error.ToString());
    }

    /// <summary>Runs an access command on this state directory and broker; fails unless it exits 0.</summary>
    public async Task<string[]> RunOkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync([.. args, "--state", State.Path, "--mqtt-port", BrokerPort.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(code == 0, $"'{string.Join(' ', args)}' exited {code}: {error}\n{string.Join('\n', output)}");
        return output;
    }

    /// <summary>Connection options of a broker user (client id = user name, as the broker enforces).</summary>
    public MqttConnectionOptions ClientOptions(string username, string password) => new()
    {
        Host = "127.0.0.1",
        Port = BrokerPort,
        ClientId = username,
        Username = username,
        Password = password,
        ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
        DisposeFlushTimeout = TimeSpan.Zero,
    };

    /// <summary>True if the broker lets <paramref name="username"/> in with <paramref name="password"/>, false if it
    /// refuses; an unreachable broker fails the test.</summary>
    public async Task<bool> CanConnectAsync(string username, string password)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await using var connection = await MqttConnection.ConnectAsync(ClientOptions(username, password), null, timeout.Token);
            return connection.State == MqttConnectionState.Connected;
        }
        catch (MqttException)
        {
            return false;
        }
    }

    /// <summary>How often the broker's log says it read its configuration again (after a SIGHUP).</summary>
    public int Reloads() => File.Exists(BrokerLog) ? File.ReadLines(BrokerLog).Count(l => l.Contains("Reloading config", StringComparison.Ordinal)) : 0;

    /// <summary>What the broker printed, for failure messages.</summary>
    public string BrokerTail()
    {
        string log = File.Exists(BrokerLog) ? string.Join('\n', File.ReadLines(BrokerLog).TakeLast(30)) : "(no log)";
        lock (_brokerOutput) return $"{_brokerOutput}\n{log}";
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var provision = await RunOkAsync("access", "provision");
        ProvisionLine = provision[^1];

        var layout = Layout;
        var directory = Path.Combine(State.Path, "mosquitto");
        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
        [
            $"listener {BrokerPort} 127.0.0.1",
            "allow_anonymous false",
            "use_username_as_clientid true",
            $"password_file {Path.Combine(layout.BrokerAccess, "passwd")}",
            $"acl_file {Path.Combine(layout.BrokerAccess, "acl")}",
            $"pid_file {layout.BrokerPidFile}",
            // As root, mosquitto would otherwise drop to user "mosquitto", which cannot read the 0600 files.
            $"user {Environment.UserName}",
            "persistence false",
            $"log_dest file {BrokerLog}",
            "log_type all",
            "",
        ]));
        var start = new ProcessStartInfo("mosquitto") { ArgumentList = { "-c", config }, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        _broker = Process.Start(start) ?? throw new InvalidOperationException("could not start mosquitto");
        _broker.OutputDataReceived += (_, e) => { lock (_brokerOutput) _brokerOutput.AppendLine(e.Data); };
        _broker.ErrorDataReceived += (_, e) => { lock (_brokerOutput) _brokerOutput.AppendLine(e.Data); };
        _broker.BeginOutputReadLine();
        _broker.BeginErrorReadLine();
        if (Environment.GetEnvironmentVariable("FIELDLAB_TEST_RUN_DIR") is { Length: > 0 } runDir)
        {
            Directory.CreateDirectory(runDir);
            await File.AppendAllTextAsync(Path.Combine(runDir, "pids"), _broker.Id + "\n");
        }
        await Eventually.HoldsAsync(async () =>
        {
            if (_broker.HasExited) throw new InvalidOperationException($"mosquitto exited with {_broker.ExitCode}: {BrokerTail()}");
            if (!File.Exists(layout.BrokerPidFile) || (await File.ReadAllTextAsync(layout.BrokerPidFile)).Trim() != _broker.Id.ToString(CultureInfo.InvariantCulture)) return false;
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync("127.0.0.1", BrokerPort);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), BrokerTail);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            if (!_broker.HasExited)
            {
                _broker.Kill();
                await _broker.WaitForExitAsync();
            }
            _broker.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        State.Dispose();
    }
}

/// <summary><c>access provision</c>, <c>credentials</c>, <c>users</c> and <c>pilots</c> through <see cref="CliRoot.InvokeAsync"/> on a temporary state directory, with a real broker that reads the files they write.</summary>
[Collection(CliAccessCollection.Name)]
public sealed partial class ProvisionAndCredentialsTests(ProvisionedStateFixture fixture)
{
    private static readonly string[] DemoUsers = ["admin", "anna", "bart", "docent", "student"];
    private static readonly string[] DemoRigs = ["electrolyser-1", "fuelcell-1", "motor-1", "pump-1"];
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;

    [GeneratedRegex(@"^credentials user=(?<user>\S+) password=(?<password>\S+) token=(?<token>\S+) mqtt_username=(?<mqttUser>\S+) mqtt_password=(?<mqttPassword>\S+)$")]
    private static partial Regex CredentialsLine();

    [GeneratedRegex(@"^provision store=sqlite users=5 rigs=4 principals=(?<principals>\d+) broker=(?<broker>\w+)$")]
    private static partial Regex ProvisionLine();

    [GeneratedRegex("^users erased=erased:[0-9a-f]{12}$")]
    private static partial Regex ErasedLine();

    private StateLayout Layout => fixture.Layout;

    private async Task<Match> CredentialsAsync(params string[] args)
    {
        var output = await fixture.RunOkAsync(["credentials", .. args]);
        var match = CredentialsLine().Match(output[^1]);
        Assert.True(match.Success, $"last line '{output[^1]}'");
        return match;
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Provision_EmptyState_SeedsTheDemo_AndWritesEverySecretPrivately()
    {
        using var state = new TempDirectory("fieldlab-cli-provision");
        var layout = new StateLayout(state.Path);
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture); // nothing listens: the broker is not running

        var (code, output, error) = await ProvisionedStateFixture.RunAsync("access", "provision", "--state", state.Path, "--mqtt-port", port);

        Assert.True(code == 0, error);
        var line = ProvisionLine().Match(output[^1]);
        Assert.True(line.Success, $"last line '{output[^1]}'");
        Assert.Equal("written", line.Groups["broker"].Value);
        // ingest-1's three connections, api-1, four gateways, five people.
        Assert.Equal(3 + 1 + 4 + 5, int.Parse(line.Groups["principals"].Value, CultureInfo.InvariantCulture));

        var generated = GeneratedPasswordsFile.Read(layout.GeneratedPasswords);
        Assert.Equal(DemoUsers, generated.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(5, generated.Values.Distinct().Count());
        var expected = new List<string>
        {
            layout.GeneratedPasswords, layout.MqttKey, layout.InfluxPasswordFile("admin"), layout.InfluxPasswordFile("ingest"), layout.InfluxPasswordFile("api"),
            layout.MqttPasswordFile("svc.ingest-1"), layout.MqttPasswordFile("svc.ingest-1-backlog"), layout.MqttPasswordFile("svc.ingest-1-models"), layout.MqttPasswordFile("svc.api-1"),
            layout.ApiIngestKey, layout.OperatorIngestKey, layout.IngestServiceKeys,
        };
        expected.AddRange(DemoRigs.Select(r => layout.MqttPasswordFile($"gw.techport.{r}")));
        foreach (var file in expected) Assert.True(File.Exists(file), $"{file} is missing");
        foreach (var file in Directory.EnumerateFiles(layout.Secrets, "*", SearchOption.AllDirectories))
            Assert.True(File.GetUnixFileMode(file) == Private, $"{file} has mode {File.GetUnixFileMode(file)}");
        foreach (var directory in Directory.EnumerateDirectories(layout.Secrets, "*", SearchOption.AllDirectories).Append(layout.Secrets))
            Assert.True(File.GetUnixFileMode(directory) == PrivateDirectory, $"{directory} has mode {File.GetUnixFileMode(directory)}");

        var passwd = File.ReadAllLines(Path.Combine(layout.BrokerAccess, "passwd"));
        var acl = await File.ReadAllTextAsync(Path.Combine(layout.BrokerAccess, "acl"));
        Assert.Equal(13 + 1, passwd.Length); // and the reload probe
        foreach (var user in DemoUsers.Concat(DemoRigs.Select(r => $"gw.techport.{r}")).Append("svc.ingest-1").Append("svc.api-1"))
        {
            Assert.Contains(passwd, l => l.StartsWith(user + ":$7$", StringComparison.Ordinal));
            Assert.Contains($"\nuser {user}\n", acl, StringComparison.Ordinal);
        }
        Assert.StartsWith(BrokerAccessFiles.PlanHashPrefix, acl, StringComparison.Ordinal);
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(layout.BrokerAccess, "passwd")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(layout.BrokerAccess, "acl")));
        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(layout.BrokerAccess));
        var ingest = MqttPasswords.FromKeyText(await File.ReadAllTextAsync(layout.MqttKey)).For("svc.ingest-1", 0);
        Assert.Equal(ingest, (await File.ReadAllTextAsync(layout.MqttPasswordFile("svc.ingest-1"))).Trim());

        // Again: nothing changes.
        var secrets = Snapshot(layout.Secrets);
        var access = Snapshot(layout.BrokerAccess);
        var (again, againOutput, againError) = await ProvisionedStateFixture.RunAsync("access", "provision", "--state", state.Path, "--mqtt-port", port);

        Assert.True(again == 0, againError);
        var second = ProvisionLine().Match(againOutput[^1]);
        Assert.True(second.Success, $"last line '{againOutput[^1]}'");
        Assert.Equal("unchanged", second.Groups["broker"].Value);
        Assert.DoesNotContain(againOutput, l => l.StartsWith("demo tenancy seeded", StringComparison.Ordinal));
        Assert.Equal(secrets, Snapshot(layout.Secrets));
        Assert.Equal(access, Snapshot(layout.BrokerAccess));
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("with;semicolon=1")]
    public async Task Provision_StateDirectoryWithConnectionStringCharacters_Works(string name)
    {
        // A directory name is not a connection string: the SQLite store's path must be quoted, not spliced in.
        using var parent = new TempDirectory("fieldlab-cli-path");
        var state = Path.Combine(parent.Path, name);

        var (code, output, error) = await ProvisionedStateFixture.RunAsync("access", "provision", "--state", state, "--mqtt-port", FreePort.Next().ToString(CultureInfo.InvariantCulture));

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Matches(ProvisionLine(), output[^1]);
        Assert.True(File.Exists(Path.Combine(state, "metadata.db")), "the store is not at STATE/metadata.db");
    }

    [Fact]
    public async Task Provision_AgainWithTheBrokerRunning_IsUnchanged()
    {
        Assert.Matches(ProvisionLine(), fixture.ProvisionLine);
        var before = Snapshot(Layout.Secrets);

        var output = await fixture.RunOkAsync("access", "provision");

        Assert.Equal("unchanged", ProvisionLine().Match(output[^1]).Groups["broker"].Value);
        Assert.Equal(before, Snapshot(Layout.Secrets));
    }

    [Fact]
    public async Task Credentials_Student_PrintsTheGeneratedPassword_ATokenAndABrokerPasswordThatLogsIn()
    {
        var first = await CredentialsAsync("student");

        Assert.Equal("student", first.Groups["user"].Value);
        Assert.Equal(GeneratedPasswordsFile.Read(Layout.GeneratedPasswords)["student"], first.Groups["password"].Value);
        Assert.StartsWith(ApiTokens.Prefix + "_", first.Groups["token"].Value, StringComparison.Ordinal);
        Assert.Equal("student", first.Groups["mqttUser"].Value);
        var mqttPassword = first.Groups["mqttPassword"].Value;
        Assert.True(await fixture.CanConnectAsync("student", mqttPassword), $"student's broker password is refused. {fixture.BrokerTail()}");
        Assert.False(await fixture.CanConnectAsync("student", mqttPassword + "x"), "a wrong broker password gets in");
        Assert.False(await fixture.CanConnectAsync("docent", mqttPassword), "student's broker password lets docent in");

        var second = await CredentialsAsync("student");

        Assert.NotEqual(first.Groups["token"].Value, second.Groups["token"].Value);
        Assert.Equal(mqttPassword, second.Groups["mqttPassword"].Value);
        Assert.Equal(first.Groups["password"].Value, second.Groups["password"].Value);
        await using var context = await AccessContext.OpenAsync(fixture.State.Path, fixture.BrokerPort, CancellationToken.None);
        var student = await context.Users.FindByNameAsync("student");
        Assert.True(await context.Users.CheckPasswordAsync(student!, second.Groups["password"].Value), "the printed password does not sign in");
        foreach (var token in new[] { first.Groups["token"].Value, second.Groups["token"].Value })
            Assert.Equal(student!.Id, (await ApiTokens.VerifyAsync(context.Db, token, DateTime.UtcNow, CancellationToken.None)).UserId);
    }

    [Fact]
    public async Task Credentials_Gateway_PrintsItsBrokerUserAndAPasswordThatLogsIn()
    {
        var line = await CredentialsAsync("gateway:techport/pump-1");

        Assert.Equal("gw.techport.pump-1", line.Groups["mqttUser"].Value);
        Assert.Equal("-", line.Groups["password"].Value);
        Assert.Equal("-", line.Groups["token"].Value);
        var password = line.Groups["mqttPassword"].Value;
        Assert.Equal((await File.ReadAllTextAsync(Layout.MqttPasswordFile("gw.techport.pump-1"))).Trim(), password);
        Assert.True(await fixture.CanConnectAsync("gw.techport.pump-1", password), $"the gateway's password is refused. {fixture.BrokerTail()}");
        Assert.False(await fixture.CanConnectAsync("gw.techport.motor-1", password), "pump-1's password lets motor-1's gateway in");
    }

    [Theory]
    [InlineData("nobody", "no user 'nobody'")]
    [InlineData("gateway:techport/nothing-1", "no registered rig techport/nothing-1")]
    [InlineData("service:nothing", "no service 'nothing'")]
    public async Task Credentials_Unknown_ExitsTwo_WithAClearMessage(string who, string message)
    {
        var (code, output, error) = await ProvisionedStateFixture.RunAsync("credentials", who, "--state", fixture.State.Path, "--mqtt-port", fixture.BrokerPort.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(CliRoot.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain(output, l => l.StartsWith("credentials ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UsersAddAndErase_ReloadTheRunningBroker_SoThatTheLoginWorksAndThenIsRefused()
    {
        int pid = fixture.BrokerPid;
        var derived = MqttPasswords.FromKeyText(await File.ReadAllTextAsync(Layout.MqttKey)).For("erik", 0);
        Assert.False(await fixture.CanConnectAsync("erik", derived), "erik gets in before he exists");
        int reloads = fixture.Reloads();

        var added = await fixture.RunOkAsync("users", "add", "erik", "--role", "Student", "--site", "techport", "--class", "class-1");

        var values = ScriptedOutput.LastLine(added, "users");
        Assert.Equal("added", values[0].Key);
        Assert.Equal("erik", values[0].Value);
        var password = values.Single(kv => kv.Key == "password").Value;
        Assert.Equal(password, GeneratedPasswordsFile.Read(Layout.GeneratedPasswords)["erik"]);
        var credentials = await CredentialsAsync("erik");
        Assert.Equal(password, credentials.Groups["password"].Value);
        Assert.Equal(derived, credentials.Groups["mqttPassword"].Value);
        Assert.True(await fixture.CanConnectAsync("erik", derived), $"erik's login is refused after users add. {fixture.BrokerTail()}");
        // The same broker process read the new files: it was signalled through its pid file, not restarted.
        Assert.True(fixture.BrokerRunning);
        Assert.Equal(pid, fixture.BrokerPid);
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(Layout.BrokerPidFile)).Trim());
        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Reloads() > reloads), TimeSpan.FromSeconds(10), () => $"no reload in the broker's log. {fixture.BrokerTail()}");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var session = await MqttConnection.ConnectAsync(fixture.ClientOptions("erik", derived), null, timeout.Token);

        var erased = await fixture.RunOkAsync("users", "erase", "erik");

        Assert.Matches(ErasedLine(), erased[^1]);
        Assert.DoesNotContain("erik", erased[^1], StringComparison.Ordinal);
        Assert.False(await fixture.CanConnectAsync("erik", derived), "erik still gets in after users erase");
        // The reload re-checks connected clients too: erik's open session ends (and its reconnects are refused).
        await Eventually.HoldsAsync(() => Task.FromResult(session.State != MqttConnectionState.Connected), TimeSpan.FromSeconds(10),
            () => $"erik's session is still {session.State}. {fixture.BrokerTail()}");
        Assert.Equal(pid, fixture.BrokerPid);
        Assert.False(GeneratedPasswordsFile.Read(Layout.GeneratedPasswords).ContainsKey("erik"), "erik's password stays in generated-passwords");
        var (code, _, error) = await ProvisionedStateFixture.RunAsync("credentials", "erik", "--state", fixture.State.Path, "--mqtt-port", fixture.BrokerPort.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(CliRoot.Usage, code);
        Assert.Contains("no user 'erik'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersErase_LastAdministrator_ExitsTwo_AndKeepsIt()
    {
        var (code, output, error) = await ProvisionedStateFixture.RunAsync("users", "erase", "admin", "--state", fixture.State.Path, "--mqtt-port", fixture.BrokerPort.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(CliRoot.Usage, code);
        Assert.Contains("the last administrator cannot be erased", error, StringComparison.Ordinal);
        Assert.DoesNotContain(output, l => l.StartsWith("users erased", StringComparison.Ordinal));
        Assert.Contains((await fixture.RunOkAsync("users", "list")), l => l.StartsWith("admin ", StringComparison.Ordinal));
        Assert.True(GeneratedPasswordsFile.Read(Layout.GeneratedPasswords).ContainsKey("admin"), "admin's password left generated-passwords");
    }

    [Fact]
    public async Task PilotsAddEndList_CreateEndAndCountThePilot()
    {
        var before = DateTime.UtcNow;
        var added = ScriptedOutput.LastLine(await fixture.RunOkAsync("pilots", "add", "--organisation", "pilot-a", "--rig", "techport/motor-1", "--start", "now"), "pilots");
        Assert.Equal("added", Assert.Single(added).Key);
        int id = int.Parse(added[0].Value, CultureInfo.InvariantCulture);

        var ended = ScriptedOutput.LastLine(await fixture.RunOkAsync("pilots", "end", id.ToString(CultureInfo.InvariantCulture)), "pilots");

        Assert.Equal(["ended", "at"], ended.Select(kv => kv.Key));
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), ended[0].Value);
        var at = DateTime.Parse(ended[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.Equal(DateTimeKind.Utc, at.Kind);
        Assert.InRange(at, before, DateTime.UtcNow);

        var list = await fixture.RunOkAsync("pilots", "list");

        Assert.Equal("pilots count=3", list[^1]);
        var row = Assert.Single(list, l => l.TrimStart().StartsWith(id.ToString(CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal));
        Assert.Contains("pilot-a", row, StringComparison.Ordinal);
        Assert.Contains("rigs=techport/motor-1", row, StringComparison.Ordinal);
        Assert.DoesNotContain("open", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsResetPassword_PrintsANewPassword_ThatSignsIn_AndIsInGeneratedPasswords()
    {
        var old = await CredentialsAsync("student");

        var reset = await CredentialsAsync("student", "--reset-password");

        var password = reset.Groups["password"].Value;
        Assert.NotEqual(old.Groups["password"].Value, password);
        Assert.Equal(password, GeneratedPasswordsFile.Read(Layout.GeneratedPasswords)["student"]);
        Assert.Equal(old.Groups["mqttPassword"].Value, reset.Groups["mqttPassword"].Value);
        Assert.Equal(password, (await CredentialsAsync("student")).Groups["password"].Value);
        await using var context = await AccessContext.OpenAsync(fixture.State.Path, fixture.BrokerPort, CancellationToken.None);
        var student = await context.Users.FindByNameAsync("student");
        Assert.True(await context.Users.CheckPasswordAsync(student!, password), "the new password does not sign in");
        Assert.False(await context.Users.CheckPasswordAsync(student!, old.Groups["password"].Value), "the old password still signs in");
    }

    [Theory]
    [InlineData("users", "list")]
    [InlineData("access", "provision")]
    [InlineData("credentials", "student")]
    public async Task UnknownStoreProvider_ExitsTwo_NamingProvider(string group, string command)
    {
        using var state = new TempDirectory("fieldlab-cli-badstore");
        var previous = Environment.GetEnvironmentVariable("FIELDLAB_METADATA_PROVIDER");
        Environment.SetEnvironmentVariable("FIELDLAB_METADATA_PROVIDER", "oracle");
        try
        {
            var (code, output, error) = await ProvisionedStateFixture.RunAsync(group, command, "--state", state.Path, "--mqtt-port", fixture.BrokerPort.ToString(CultureInfo.InvariantCulture));

            Assert.Equal(CliRoot.Usage, code);
            Assert.Contains("Provider", error, StringComparison.Ordinal);
            Assert.Contains("oracle", error, StringComparison.Ordinal);
            Assert.Equal([""], output);
            Assert.False(File.Exists(Path.Combine(state.Path, "metadata.db")), "a store was made anyway");
        }
        finally
        {
            Environment.SetEnvironmentVariable("FIELDLAB_METADATA_PROVIDER", previous);
        }
    }
}

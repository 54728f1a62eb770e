using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Live;
using Fieldlab.Api.Tests.Access;
using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests.Live;

/// <summary>The console's live streams on the real API, broker and database, fed by gateways publishing on the broker:
/// what a student and a pilot's company member each receive, the snapshot first, coalescing, alerts and spectra.</summary>
[Collection("servers")]
public sealed class LiveStreamTests(ServersFixture servers) : IAsyncLifetime
{
    private static readonly RigAddress Teaching = SmallTenancy.Rig; // lab/rig-1: no pilot, teaching data only
    private static readonly RigAddress PilotRig = new("lab", "pilot-1"); // in the company's pilot, running since an hour ago
    private const string PilotId = "live-pilot";

    // Generous bounds for a loaded 2-core machine: a healthy stream answers in well under a second.
    private static readonly TimeSpan Read = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly SmallTenancy _tenancy = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<HttpClient> _clients = [];
    private ApiUnderTest _api = null!;
    private MqttConnection _teachingGateway = null!;
    private MqttConnection _pilotGateway = null!;
    private long _seq;

    private static RigBirth PumpBirth() => new()
    {
        Kind = "pump",
        Streams =
        [
            new StreamSpec
            {
                Id = "process", RateHz = 10,
                Sensors =
                [
                    new SensorSpec { Id = "flow", Unit = "m3/h" }, new SensorSpec { Id = "discharge_pressure", Unit = "bar" },
                    new SensorSpec { Id = "suction_pressure", Unit = "bar" }, new SensorSpec { Id = "motor_power", Unit = "kW" },
                    new SensorSpec { Id = "speed", Unit = "rpm" },
                ],
            },
            new StreamSpec { Id = "vibration", RateHz = 12800, Kind = "waveform", Sensors = [new SensorSpec { Id = "accel_x", Unit = "m/s2" }] },
        ],
    };

    private static RigBirth ElectrolyserBirth() => new()
    {
        Kind = "electrolyser",
        Streams =
        [
            new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "power", Unit = "kW" }, new SensorSpec { Id = "h2_flow", Unit = "Nl/min" }] },
            new StreamSpec { Id = "vibration", RateHz = 12800, Kind = "waveform", Sensors = [new SensorSpec { Id = "accel_x", Unit = "m/s2" }] },
        ],
    };

    private async Task SeedAsync(MetadataDb db, UserManager<FieldlabUser> users)
    {
        await _tenancy.SeedAsync(db, users);
        var now = DateTime.UtcNow;
        await SiteRegistry.AddRigAsync(db, PilotRig.Site, PilotRig.Rig, null, now, CancellationToken.None);
        await PilotBook.CreateAsync(db, "company", PilotId, [PilotRig], now.AddHours(-1), null, false, now, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, SeedAsync);
        _teachingGateway = await GatewayAsync(Teaching, PumpBirth());
        _pilotGateway = await GatewayAsync(PilotRig, ElectrolyserBirth());
        var directory = _api.Factory.Services.GetRequiredService<RigDirectory>();
        await Eventually.HoldsAsync(() => Task.FromResult(new[] { Teaching, PilotRig }.All(r => directory.TryGet(r, out var e) && e.Birth is not null && e.IsOnline)),
            Within, () => "the API did not hear both rigs' births and states");

        // The API subscribes to births first and to samples and waveforms last: until a sample and a frame of the pilot
        // rig have reached its live feed, a published value could still be missed. (Pilot data: never a student's.)
        var feed = _api.Factory.Services.GetRequiredService<LiveFeed>();
        await Eventually.HoldsAsync(async () =>
        {
            await PublishAsync(_pilotGateway, PilotRig, Now(), ("h2_flow", 1.0));
            await _pilotGateway.PublishAsync(FieldlabTopic.For(PilotRig, TopicChannel.Waveform), SyntheticFrames.Sine(12800, 64, 1000, 1, Now()).Encode(),
                MqttQos.AtLeastOnce, false, CancellationToken.None);
            await Task.Delay(200);
            return feed.Find(PilotRig) is { Frame: not null } live && live.Values().ContainsKey("h2_flow");
        }, Within, () => "the API's live feed did not take the pilot rig's warm-up sample and frame");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        // Streams first (their requests end), then the clients, the machines and the API.
        for (int i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        foreach (var c in _clients) c.Dispose();
        if (_api is not null) await _api.DisposeAsync();
    }

    private async Task<MqttConnection> GatewayAsync(RigAddress rig, RigBirth birth)
    {
        var gateway = await MqttConnection.ConnectAsync(_api.BrokerLogin(PrincipalNames.Gateway(rig)), null, CancellationToken.None);
        _owned.Add(gateway);
        await gateway.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Birth), WireJson.Encode(birth), MqttQos.AtLeastOnce, true, CancellationToken.None);
        await gateway.PublishAsync(FieldlabTopic.For(rig, TopicChannel.State), Encoding.UTF8.GetBytes("{\"v\":1,\"state\":\"online\"}"), MqttQos.AtLeastOnce, true, CancellationToken.None);
        return gateway;
    }

    // The ingest replica's condition-monitor connection: the principal that may publish alerts (the gateways may not).
    private async Task<MqttConnection> AlertPublisherAsync()
    {
        const string user = "svc.ingest-s-models";
        var options = _api.Broker.ClientOptions(user, username: user, password: _api.Passwords.For(PrincipalNames.Service("ingest-s"), 0));
        var connection = await MqttConnection.ConnectAsync(options, null, CancellationToken.None);
        _owned.Add(connection);
        return connection;
    }

    // Now, with microseconds that are not a whole millisecond: the event's millisecond time must be the truncation.
    private static long Now() => UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow) / 1_000_000 * 1_000_000 + 456_789;

    private async Task PublishAsync(MqttConnection gateway, RigAddress rig, long timeNs, params (string Sensor, double Value)[] values)
    {
        var writer = new SampleBatchWriter();
        writer.Begin("process", Interlocked.Add(ref _seq, 1));
        writer.BeginRow(timeNs);
        foreach (var (sensor, value) in values) writer.Value(sensor, value);
        await gateway.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Samples), writer.Finish(), MqttQos.AtLeastOnce, false, CancellationToken.None);
    }

    private async Task<HttpClient> ClientAsync(string user)
    {
        var client = _api.Client(await _api.TokenAsync(user));
        _clients.Add(client);
        return client;
    }

    private async Task<SseStream> OpenAsync(string user, string path)
    {
        var stream = await SseStream.OpenAsync(await ClientAsync(user), path, Read);
        _owned.Add(stream);
        return stream;
    }

    private static bool IsRig(JsonElement data, RigAddress rig) =>
        data.TryGetProperty("site", out var s) && s.GetString() == rig.Site && data.TryGetProperty("rig", out var r) && r.GetString() == rig.Rig;

    private static bool HasValue(JsonElement data, RigAddress rig, string sensor, double value) =>
        IsRig(data, rig) && data.GetProperty("values").TryGetProperty(sensor, out var v) && v.GetProperty("v").GetDouble() == value;

    private static JsonElement? SnapshotOf(LiveEvent hello, RigAddress rig) =>
        hello.Data.GetProperty("rigs").EnumerateArray().Where(r => IsRig(r, rig)).Select(r => (JsonElement?)r).FirstOrDefault();

    private static async Task<LiveEvent> HelloAsync(SseStream stream)
    {
        var first = await stream.NextAsync(Read);
        Assert.True(first is { Type: "hello" }, $"{stream.Url}: the first event is not the snapshot. Received:\n{stream.Describe()}");
        return first!;
    }

    // Every value of the pilot rig in a stream: in its snapshot or in any later event.
    private static List<string> PilotValuesIn(SseStream stream) =>
    [
        .. stream.Received.SelectMany(e => e.Type == "hello"
            ? e.Data.GetProperty("rigs").EnumerateArray().Where(r => IsRig(r, PilotRig) && r.GetProperty("values").EnumerateObject().Any())
            : IsRig(e.Data, PilotRig) ? new[] { e.Data } : Array.Empty<JsonElement>())
            .Select(d => d.GetRawText()),
    ];

    [Fact]
    public async Task StudentStream_CarriesTeachingValues_AndNeverARunningPilotsValues_WhichThePilotsCompanyGets()
    {
        var student = await OpenAsync("pupil", "/api/sites/lab/live");
        var member = await OpenAsync("member", "/api/sites/lab/live");
        await HelloAsync(student);
        await HelloAsync(member);

        // The pilot rig's value, published now (inside the pilot's window): the company member's stream carries it.
        long pilotT = Now();
        await PublishAsync(_pilotGateway, PilotRig, pilotT, ("power", 31.5), ("h2_flow", 100.0));
        var pilotValues = await member.UntilAsync("values", d => HasValue(d, PilotRig, "power", 31.5), Read, "the pilot rig's value at the member");
        Assert.Equal(pilotT / 1_000_000, pilotValues.Data.GetProperty("values").GetProperty("power").GetProperty("t").GetInt64());
        Assert.Equal("electrolyser", pilotValues.Data.GetProperty("kind").GetString());
        // 100 Nl/min and 31.5 kW: 539.28 g/h, 31.5 / 0.53928 = 58.411 kWh/kg (see KeyFiguresTests).
        Assert.Equal(58.411, pilotValues.Data.GetProperty("figures").GetProperty("specific_energy").GetProperty("v").GetDouble(), 1e-3);

        // Now that the API holds the pilot's value, a teaching value: the student gets it, with its millisecond time.
        long teachT = Now();
        await PublishAsync(_teachingGateway, Teaching, teachT, ("flow", 36.0), ("discharge_pressure", 3.5), ("suction_pressure", 0.5), ("motor_power", 4.0), ("speed", 1481.5));
        var teaching = await student.UntilAsync("values", d => HasValue(d, Teaching, "speed", 1481.5), Read, "the teaching rig's value at the student");
        var data = teaching.Data;
        Assert.Equal("pump", data.GetProperty("kind").GetString());
        Assert.True(data.GetProperty("online").GetBoolean());
        Assert.Equal(teachT / 1_000_000, data.GetProperty("t").GetInt64());
        Assert.Equal(teachT / 1_000_000, data.GetProperty("values").GetProperty("flow").GetProperty("t").GetInt64());
        Assert.Equal(36.0, data.GetProperty("values").GetProperty("flow").GetProperty("v").GetDouble());
        // The tile's figures, derived on the server: head 30.647 m, 75 % wire to water (KeyFiguresTests has the arithmetic).
        var figures = data.GetProperty("figures");
        Assert.Equal(30.6467, figures.GetProperty("head").GetProperty("v").GetDouble(), 1e-4);
        Assert.Equal("m", figures.GetProperty("head").GetProperty("unit").GetString());
        Assert.Equal(75.0, figures.GetProperty("wire_to_water").GetProperty("v").GetDouble(), 6);

        // One more update cycle of the student's stream, so that a leak of the pilot's value in the cycle above would
        // have been sent before this one; and one more of the member's, for the same reason the other way round.
        await PublishAsync(_teachingGateway, Teaching, Now(), ("speed", 1482.5));
        await student.UntilAsync("values", d => HasValue(d, Teaching, "speed", 1482.5), Read, "the second teaching value at the student");
        await PublishAsync(_pilotGateway, PilotRig, Now(), ("power", 32.5));
        await member.UntilAsync("values", d => HasValue(d, PilotRig, "power", 32.5), Read, "the second pilot value at the member");

        Assert.Empty(PilotValuesIn(student));
        Assert.DoesNotContain(member.Received, e => IsRig(e.Data, Teaching) || e.Type == "hello" && SnapshotOf(e, Teaching) is not null);

        // A stream opened now starts from the snapshot, filtered the same way: the member's holds the pilot's newest
        // value (so it is there to leak), the student's holds the teaching values and none of the pilot's.
        var lateMember = await OpenAsync("member", "/api/sites/lab/live");
        var memberHello = await HelloAsync(lateMember);
        Assert.Equal(32.5, SnapshotOf(memberHello, PilotRig)?.GetProperty("values").GetProperty("power").GetProperty("v").GetDouble());
        var lateStudent = await OpenAsync("pupil", "/api/sites/lab/live");
        var studentHello = await HelloAsync(lateStudent);
        Assert.Equal(1482.5, SnapshotOf(studentHello, Teaching)?.GetProperty("values").GetProperty("speed").GetProperty("v").GetDouble());
        Assert.Empty(PilotValuesIn(lateStudent));
    }

    [Fact]
    public async Task Stream_StartsWithTheHelloSnapshot_AndEventsNEndsItAfterNEvents()
    {
        var feed = _api.Factory.Services.GetRequiredService<LiveFeed>();
        await PublishAsync(_teachingGateway, Teaching, Now(), ("speed", 1500.0));
        await Eventually.HoldsAsync(() => Task.FromResult(feed.Find(Teaching)?.Values().GetValueOrDefault("speed").Value == 1500.0), Within);

        // events=1: the snapshot alone, then the server ends the stream by itself.
        var once = await OpenAsync("pupil", "/api/sites/lab/rigs/rig-1/live?events=1");
        var hello = await HelloAsync(once);
        var rig = Assert.Single(hello.Data.GetProperty("rigs").EnumerateArray());
        Assert.True(IsRig(rig, Teaching));
        Assert.Equal(1500.0, rig.GetProperty("values").GetProperty("speed").GetProperty("v").GetDouble());
        Assert.Equal("pump", rig.GetProperty("kind").GetString());
        Assert.Null(await once.NextAsync(Read));

        // events=3: the snapshot and two updates while values keep coming, then the end.
        var three = await OpenAsync("pupil", "/api/sites/lab/rigs/rig-1/live?events=3");
        await HelloAsync(three);
        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                await PublishAsync(_teachingGateway, Teaching, Now(), ("speed", 1600.0 + i));
                try { await Task.Delay(150, stop.Token); } catch (OperationCanceledException) { break; }
            }
        });
        try
        {
            Assert.Equal("values", (await three.NextAsync(Read))?.Type);
            Assert.Equal("values", (await three.NextAsync(Read))?.Type);
            // The fourth read sees the end of the stream (a stream that ignored events=3 fails here by timeout).
            Assert.Null(await three.NextAsync(Read));
        }
        finally
        {
            await stop.CancelAsync();
            await publishing;
        }
        Assert.Equal(3, three.Received.Count);
    }

    [Fact]
    public async Task EventsBelowOne_IsRejected()
    {
        var client = await ClientAsync("pupil");
        using var site = await client.GetAsync("/api/sites/lab/live?events=0");
        Assert.Equal(HttpStatusCode.BadRequest, site.StatusCode);
        using var rig = await client.GetAsync("/api/sites/lab/rigs/rig-1/live?events=-1");
        Assert.Equal(HttpStatusCode.BadRequest, rig.StatusCode);
    }

    [Fact]
    public async Task FiftyBatchesInASecond_AreCoalescedToAboutTenUpdates_EndingWithTheNewestValue()
    {
        var stream = await OpenAsync("pupil", "/api/sites/lab/rigs/rig-1/live");
        await HelloAsync(stream);
        const int batches = 50;
        var reading = Task.Run(() => stream.UntilAsync("values", d => HasValue(d, Teaching, "speed", batches - 1), Within, "the last of the 50 values"));

        // One batch every 20 ms on a fixed schedule (a late batch does not push the later ones back).
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < batches; i++)
        {
            var due = TimeSpan.FromMilliseconds(20 * i) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            await PublishAsync(_teachingGateway, Teaching, Now(), ("speed", i));
        }
        var publishing = clock.Elapsed;
        await reading;

        var updates = stream.Received.Where(e => e.Type == "values").ToList();
        // At most one update per 100 ms (LiveOptions.MinUpdateInterval) while the batches arrive: ~11 for a 1 s burst
        // (the first batch goes out at once, the last up to 100 ms after it). Slack of 5 more for the API receiving the
        // burst spread out by load; the bound follows the measured publishing time, so a slow machine that stretched the
        // burst widens it. 50 updates (every batch one) fail it, and so do ~20 (a 50 ms interval).
        int bound = (int)Math.Ceiling(publishing.TotalMilliseconds / 100) + 5;
        Assert.True(bound < batches, $"publishing took {publishing.TotalMilliseconds:F0} ms: too slow to tell coalescing from none");
        Assert.True(updates.Count <= bound,
            $"{updates.Count} updates for {batches} batches in {publishing.TotalMilliseconds:F0} ms (at most {bound}):\n{stream.Describe()}");
        // Coalescing keeps the newest value, and the values only move forward.
        var speeds = updates.Select(u => u.Data.GetProperty("values").GetProperty("speed").GetProperty("v").GetDouble()).ToList();
        Assert.Equal(batches - 1, speeds[^1]);
        Assert.True(speeds.Zip(speeds.Skip(1)).All(p => p.First < p.Second), string.Join(", ", speeds));
    }

    [Fact]
    public async Task PublishedAlert_ReachesTheRigsViewer_AndAPilotsAlertOnlyItsCompany()
    {
        var rigViewer = await OpenAsync("pupil", "/api/sites/lab/rigs/rig-1/live");
        var student = await OpenAsync("pupil", "/api/sites/lab/live");
        var member = await OpenAsync("member", "/api/sites/lab/live");
        foreach (var s in new[] { rigViewer, student, member }) await HelloAsync(s);
        var ingest = await AlertPublisherAsync();

        // The pilot rig's alert first, then the teaching rig's, on one connection: in that order they reach the API and
        // every viewer's queue, so a pilot alert leaking to the student would arrive before the teaching one.
        string t = UtcTimestamp.Format(Now());
        var pilotAlert = new RigAlert { Id = "bearing", State = "raised", Kind = "bearing", T = t, Summary = "pilot bearing", Defect = "outer_race", Sensors = ["x"], Score = 14.2, Limit = 5.1 };
        var teachingAlert = new RigAlert { Id = "anomaly-process", State = "raised", Kind = "anomaly", T = t, Summary = "teaching anomaly", Sensors = ["flow", "motor_power"], Score = 9.5, Limit = 4.0 };
        await ingest.PublishAsync(FieldlabTopic.For(PilotRig, TopicChannel.Alerts), WireJson.Encode(pilotAlert), MqttQos.AtLeastOnce, false, CancellationToken.None);
        await ingest.PublishAsync(FieldlabTopic.For(Teaching, TopicChannel.Alerts), WireJson.Encode(teachingAlert), MqttQos.AtLeastOnce, false, CancellationToken.None);

        static bool Summary(JsonElement d, string summary) => d.GetProperty("alert").GetProperty("summary").GetString() == summary;
        var received = await rigViewer.UntilAsync("alert", d => Summary(d, "teaching anomaly"), Read, "the teaching rig's alert at its viewer");
        Assert.True(IsRig(received.Data, Teaching));
        var alert = received.Data.GetProperty("alert");
        Assert.Equal("anomaly-process", alert.GetProperty("id").GetString());
        Assert.Equal("raised", alert.GetProperty("state").GetString());
        Assert.Equal("anomaly", alert.GetProperty("kind").GetString());
        Assert.Equal(t, alert.GetProperty("t").GetString());
        Assert.Equal(9.5, alert.GetProperty("score").GetDouble());
        Assert.Equal(4.0, alert.GetProperty("limit").GetDouble());
        Assert.Equal(new[] { "flow", "motor_power" }, alert.GetProperty("sensors").EnumerateArray().Select(s => s.GetString()!));

        await student.UntilAsync("alert", d => Summary(d, "teaching anomaly"), Read, "the teaching rig's alert at the site's student");
        var memberAlert = await member.UntilAsync("alert", d => Summary(d, "pilot bearing"), Read, "the pilot rig's alert at the company member");
        Assert.True(IsRig(memberAlert.Data, PilotRig));
        Assert.Equal("outer_race", memberAlert.Data.GetProperty("alert").GetProperty("defect").GetString());

        Assert.DoesNotContain(student.Received, e => e.Type == "alert" && IsRig(e.Data, PilotRig));
        Assert.DoesNotContain(rigViewer.Received, e => e.Type == "alert" && !IsRig(e.Data, Teaching));
        Assert.DoesNotContain(member.Received, e => e.Type == "alert" && IsRig(e.Data, Teaching));
    }

    [Fact]
    public async Task WaveformFrame_YieldsASpectrumEvent_OfAtMost1024Points_OnlyForStreamsThatAskForIt()
    {
        var spectrum = await OpenAsync("pupil", "/api/sites/lab/rigs/rig-1/live?spectrum=true");
        var plain = await OpenAsync("pupil", "/api/sites/lab/rigs/rig-1/live");
        await HelloAsync(spectrum);
        await HelloAsync(plain);

        // The shaft speed first (1800 rpm = 30 Hz), so that the spectrum carries the bearing's defect marks.
        await PublishAsync(_teachingGateway, Teaching, Now(), ("speed", 1800.0));
        await spectrum.UntilAsync("values", d => HasValue(d, Teaching, "speed", 1800.0), Read, "the shaft speed");
        // 4096 samples at 12.8 kHz: 2049 bins, which the API must fold to at most 1024 points. 1000 Hz is bin 320.
        var frame = SyntheticFrames.Sine(12_800, 4096, 1000, 2.0, Now());
        await _teachingGateway.PublishAsync(FieldlabTopic.For(Teaching, TopicChannel.Waveform), frame.Encode(), MqttQos.AtLeastOnce, false, CancellationToken.None);

        var received = await spectrum.UntilAsync("spectrum", _ => true, Read, "the spectrum of the frame");
        Assert.True(IsRig(received.Data, Teaching));
        var view = received.Data.GetProperty("spectrum");
        Assert.Equal("vibration", view.GetProperty("stream").GetString());
        Assert.Equal("accel_x", view.GetProperty("axis").GetString());
        Assert.Equal(4096, view.GetProperty("samples").GetInt32());
        Assert.Equal(12_800, view.GetProperty("sample_rate_hz").GetDouble());
        Assert.Equal(UtcTimestamp.Format(frame.StartNanoseconds), view.GetProperty("t").GetString());

        var hz = view.GetProperty("spectrum").GetProperty("hz").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var amplitude = view.GetProperty("spectrum").GetProperty("amplitude").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.InRange(hz.Length, 100, 1024);
        Assert.Equal(hz.Length, amplitude.Length);
        int peak = Array.IndexOf(amplitude, amplitude.Max());
        Assert.Equal(1000.0, hz[peak]);
        Assert.Equal(2.0, amplitude[peak], 0.01);
        var envelope = view.GetProperty("envelope");
        Assert.InRange(envelope.GetProperty("hz").GetArrayLength(), 1, 1024);

        Assert.Equal(30.0, view.GetProperty("shaft_hz").GetDouble());
        var marks = BearingGeometry.Skf6205.At(30);
        var defects = view.GetProperty("defects");
        Assert.Equal(marks.Bpfo, defects.GetProperty("bpfo").GetDouble(), 9);
        Assert.Equal(marks.Bpfi, defects.GetProperty("bpfi").GetDouble(), 9);
        Assert.Equal(marks.Bsf, defects.GetProperty("bsf").GetDouble(), 9);
        Assert.Equal(marks.Ftf, defects.GetProperty("ftf").GetDouble(), 9);

        // The stream that did not ask for spectra: a value published after the frame arrives, no spectrum before it.
        await PublishAsync(_teachingGateway, Teaching, Now(), ("speed", 1801.0));
        await plain.UntilAsync("values", d => HasValue(d, Teaching, "speed", 1801.0), Read, "the value after the frame");
        Assert.DoesNotContain(plain.Received, e => e.Type == "spectrum");
    }

    [Fact]
    public async Task ShortWaveformFrame_DoesNotEndTheRigsSpectrumStream()
    {
        var spectrum = await OpenAsync("pupil", "/api/sites/lab/rigs/rig-1/live?spectrum=true");
        await HelloAsync(spectrum);
        // 8 samples: a valid frame (the wire format allows 1 … 65,536 per axis), too short for an envelope spectrum.
        await _teachingGateway.PublishAsync(FieldlabTopic.For(Teaching, TopicChannel.Waveform), SyntheticFrames.Sine(12_800, 8, 1600, 1, Now()).Encode(),
            MqttQos.AtLeastOnce, false, CancellationToken.None);
        var feed = _api.Factory.Services.GetRequiredService<LiveFeed>();
        await Eventually.HoldsAsync(() => Task.FromResult(feed.Find(Teaching)?.Frame is { Count: 8 }), Within, () => "the API did not take the short frame");

        // The stream goes on. The update cycle that sends the first value looks at the short frame after sending it,
        // so only the second value proves that the stream survived that look; then a full frame's spectrum arrives.
        await PublishAsync(_teachingGateway, Teaching, Now(), ("speed", 1700.0));
        await spectrum.UntilAsync("values", d => HasValue(d, Teaching, "speed", 1700.0), Read, "a value after the short frame");
        await PublishAsync(_teachingGateway, Teaching, Now(), ("speed", 1701.0));
        await spectrum.UntilAsync("values", d => HasValue(d, Teaching, "speed", 1701.0), Read, "a second value after the short frame");
        await _teachingGateway.PublishAsync(FieldlabTopic.For(Teaching, TopicChannel.Waveform), SyntheticFrames.Sine(12_800, 4096, 1000, 2.0, Now()).Encode(),
            MqttQos.AtLeastOnce, false, CancellationToken.None);
        await spectrum.UntilAsync("spectrum", d => d.GetProperty("spectrum").GetProperty("samples").GetInt32() == 4096, Read, "the spectrum of a full frame after the short one");
    }
}

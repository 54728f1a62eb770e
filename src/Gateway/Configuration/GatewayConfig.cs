using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Configuration;

/// <summary>One gateway's configuration file (YAML, snake_case keys): which rig it is, where the broker is, where its data
/// comes from (a simulated rig or a recording), which faults are scheduled, and how it buffers and delivers.
/// See deploy/local/gateways/*.yaml.template for annotated examples.</summary>
public sealed class GatewayConfig : IValidatableOptions
{
    /// <summary>Site id (topic segment).</summary>
    public string Site { get; set; } = "";

    /// <summary>Rig id (topic segment).</summary>
    public string Rig { get; set; } = "";

    /// <summary>Gateway id, also the MQTT client id; defaults to <c>gw-{rig}</c>.</summary>
    public string? Gateway { get; set; }

    /// <summary>Broker connection.</summary>
    public BrokerConfig Broker { get; set; } = new();

    /// <summary>A simulated rig as the source (exactly one of <see cref="Simulation"/> and <see cref="Replay"/>).</summary>
    public SimulationConfig? Simulation { get; set; }

    /// <summary>A recorded CSV file as the source.</summary>
    public ReplayConfig? Replay { get; set; }

    /// <summary>Faults scheduled from the gateway's start (simulated rigs only).</summary>
    public List<ScheduledFault> Faults { get; set; } = [];

    /// <summary>How samples are batched.</summary>
    public PublishConfig Publish { get; set; } = new();

    /// <summary>The store-and-forward buffer.</summary>
    public BufferConfig Buffer { get; set; } = new();

    /// <summary>Delivery and confirmation.</summary>
    public DeliveryConfig Delivery { get; set; } = new();

    /// <summary>The gateway id in effect.</summary>
    public string GatewayId => string.IsNullOrEmpty(Gateway) ? $"gw-{Rig}" : Gateway;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (WireNames.ExplainInvalidSegment(Site) is { } site) yield return $"site: {site}";
        if (WireNames.ExplainInvalidSegment(Rig) is { } rig) yield return $"rig: {rig}";
        if (Gateway is not null && WireNames.ExplainInvalidSegment(Gateway) is { } gw) yield return $"gateway: {gw}";
        foreach (var p in Section("broker", Broker?.Validate())) yield return p;
        if ((Simulation is null) == (Replay is null)) yield return "simulation / replay: exactly one source is required";
        foreach (var p in Section("simulation", Simulation?.Validate())) yield return p;
        foreach (var p in Section("replay", Replay?.Validate())) yield return p;
        if (Replay is not null && Faults.Count > 0) yield return "faults: a replay cannot be given faults (its ground truth comes from the recording)";
        for (int i = 0; i < Faults.Count; i++)
        {
            foreach (var p in Faults[i].Validate()) yield return $"faults[{i}].{p}";
        }
        foreach (var p in Section("publish", Publish?.Validate())) yield return p;
        foreach (var p in Section("buffer", Buffer?.Validate())) yield return p;
        foreach (var p in Section("delivery", Delivery?.Validate())) yield return p;
    }

    private static IEnumerable<string> Section(string name, IEnumerable<string>? problems) =>
        problems?.Select(p => $"{name}.{p}") ?? [];
}

/// <summary>Where the MQTT broker is and how to log in.</summary>
public sealed class BrokerConfig
{
    /// <summary>Host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>User name, or null.</summary>
    public string? Username { get; set; }

    /// <summary>Password, or null.</summary>
    public string? Password { get; set; }

    /// <summary>File holding the password (mode 0600), instead of <see cref="Password"/>; <c>./fieldlab up</c> writes it
    /// (<c>./fieldlab credentials gateway:SITE/RIG</c> prints it for a gateway on another machine).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The password in effect.</summary>
    public string? EffectivePassword => PasswordFile is { Length: > 0 } file && File.Exists(file) ? File.ReadAllText(file).Trim() : Password;

    /// <summary>CA file for TLS, or null for plain TCP.</summary>
    public string? CaFile { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) yield return "host: required";
        if (Port is < 1 or > 65535) yield return $"port: must be 1..65535 (was {Port})";
        if ((Password is not null || PasswordFile is not null) && Username is null) yield return "password: set without username";
        if (Password is not null && PasswordFile is not null) yield return "password_file: use either password or password_file";
        if (PasswordFile is not null && !File.Exists(PasswordFile)) yield return $"password_file: '{PasswordFile}' does not exist";
        if (CaFile is not null && !File.Exists(CaFile)) yield return $"ca_file: '{CaFile}' does not exist";
    }
}

/// <summary>Which simulated rig to run, and how.</summary>
public sealed class SimulationConfig
{
    /// <summary>Rig kinds this gateway can simulate.</summary>
    public static readonly string[] Kinds = ["pump", "motor", "electrolyser", "fuel-cell"];

    /// <summary>Rig kind.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Seed of noise and duty cycle; the same seed gives the same data.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Sample rate of the process stream, Hz.</summary>
    public double RateHz { get; set; } = 10;

    /// <summary>Motor: vibration sample rate, Hz (10–25.6 kHz is typical).</summary>
    public double WaveformRateHz { get; set; } = 12_800;

    /// <summary>Motor: vibration axes (1–3).</summary>
    public int WaveformAxes { get; set; } = 3;

    /// <summary>Motor: samples per axis in one waveform frame.</summary>
    public int WaveformFrame { get; set; } = 2048;

    /// <summary>Hydrogen rigs: operating hours per real hour (ageing clock speed).</summary>
    public double TimeAcceleration { get; set; } = 1;

    /// <summary>Hydrogen rigs: cell voltage change per operating hour, µV/h (null keeps the rig's default).</summary>
    public double? DegradationUvPerH { get; set; }

    /// <summary>Fuel cell: <c>constant</c> or <c>dynamic</c> load.</summary>
    public string Profile { get; set; } = "constant";

    internal IEnumerable<string> Validate()
    {
        if (!Kinds.Contains(Kind)) yield return $"kind: '{Kind}' is not one of {string.Join(", ", Kinds)}";
        if (!(RateHz > 0 && RateHz <= 1000)) yield return $"rate_hz: must be in (0, 1000] (was {RateHz})";
        if (Kind == "motor")
        {
            if (!(WaveformRateHz is >= 10_000 and <= 51_200)) yield return $"waveform_rate_hz: must be 10000..51200 (was {WaveformRateHz})";
            if (WaveformAxes is < 1 or > 3) yield return $"waveform_axes: must be 1..3 (was {WaveformAxes})";
            if (WaveformFrame is < 64 or > 8192) yield return $"waveform_frame: must be 64..8192 samples (was {WaveformFrame})";
        }
        if (!(TimeAcceleration is > 0 and <= 10_000)) yield return $"time_acceleration: must be in (0, 10000] (was {TimeAcceleration})";
        if (DegradationUvPerH is { } d && !(d >= 0 && d <= 10_000)) yield return $"degradation_uv_per_h: must be 0..10000 (was {d})";
        if (Profile is not ("constant" or "dynamic")) yield return $"profile: constant or dynamic (was '{Profile}')";
    }
}

/// <summary>A fault the gateway starts by itself some time after it starts.</summary>
public sealed class ScheduledFault
{
    /// <summary>Fault kind (the rig's list: e.g. <c>bearing_outer</c>, <c>cavitation</c>).</summary>
    public string Fault { get; set; } = "";

    /// <summary>Delay after the gateway's start.</summary>
    public TimeSpan StartAfter { get; set; }

    /// <summary>Initial severity 0..1.</summary>
    public double Severity { get; set; } = 0.5;

    /// <summary>Severity added per hour.</summary>
    public double ProgressionPerHour { get; set; }

    /// <summary>Delay after the gateway's start to clear it, or null to leave it.</summary>
    public TimeSpan? ClearAfter { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (WireNames.ExplainInvalidSensor(Fault) is { } f) yield return $"fault: {f}";
        if (StartAfter < TimeSpan.Zero) yield return "start_after: must not be negative";
        if (!(Severity is >= 0 and <= 1)) yield return $"severity: must be 0..1 (was {Severity})";
        if (!(ProgressionPerHour >= 0 && ProgressionPerHour <= 100)) yield return $"progression_per_hour: must be 0..100 (was {ProgressionPerHour})";
        if (ClearAfter is { } c && c <= StartAfter) yield return "clear_after: must come after start_after";
    }
}

/// <summary>Replay of a recorded CSV file as if it were the rig.</summary>
public sealed class ReplayConfig
{
    /// <summary>The file.</summary>
    public string File { get; set; } = "";

    /// <summary><c>auto</c>, <c>fieldlab</c> (the API's export) or <c>skab</c> (semicolon-separated, <c>datetime</c> column).</summary>
    public string Format { get; set; } = "auto";

    /// <summary>Speed: <c>1</c> real time, <c>10</c> ten times faster, <c>max</c> as fast as delivery allows.</summary>
    public string Speed { get; set; } = "1";

    /// <summary><c>original</c> keeps the recorded times; <c>shifted</c> moves the recording to now (see docs/gateway.md).</summary>
    public string Timestamps { get; set; } = "shifted";

    /// <summary><c>skip</c> reports a malformed row with its line number and goes on; <c>stop</c> ends the replay there.</summary>
    public string OnError { get; set; } = "skip";

    /// <summary>Stream id the rows are published as.</summary>
    public string Stream { get; set; } = "process";

    /// <summary>Rig kind announced in the birth.</summary>
    public string Kind { get; set; } = "other";

    /// <summary>Units per column, e.g. <c>{ Current: A }</c>; missing units are announced as <c>1</c>.</summary>
    public Dictionary<string, string> Units { get; set; } = [];

    /// <summary>Start again from the top when the file ends.</summary>
    public bool Loop { get; set; }

    /// <summary>The speed factor, or +∞ for <c>max</c>.</summary>
    public double SpeedFactor => Speed == "max" ? double.PositiveInfinity
        : double.TryParse(Speed.TrimEnd('x'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(File)) yield return "file: required";
        else if (!System.IO.File.Exists(File)) yield return $"file: '{File}' does not exist";
        if (Format is not ("auto" or "fieldlab" or "skab")) yield return $"format: auto, fieldlab or skab (was '{Format}')";
        if (!(SpeedFactor > 0)) yield return $"speed: a positive factor or max (was '{Speed}')";
        if (Timestamps is not ("original" or "shifted")) yield return $"timestamps: original or shifted (was '{Timestamps}')";
        if (OnError is not ("skip" or "stop")) yield return $"on_error: skip or stop (was '{OnError}')";
        if (WireNames.ExplainInvalidSensor(Stream) is { } s) yield return $"stream: {s}";
        if (!RigBirth.Kinds.Contains(Kind)) yield return $"kind: one of {string.Join(", ", RigBirth.Kinds)} (was '{Kind}')";
    }
}

/// <summary>Batching of published samples.</summary>
public sealed class PublishConfig
{
    /// <summary>How often a batch is made.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most rows per batch message (the ingest limit is 10,000).</summary>
    public int MaxRowsPerBatch { get; set; } = 1000;

    internal IEnumerable<string> Validate()
    {
        if (BatchInterval < TimeSpan.FromMilliseconds(10) || BatchInterval > TimeSpan.FromMinutes(1))
            yield return $"batch_interval: must be 10ms..1m (was {BatchInterval})";
        if (MaxRowsPerBatch is < 1 or > SampleBatchReader.MaxRows) yield return $"max_rows_per_batch: must be 1..{SampleBatchReader.MaxRows}";
    }
}

/// <summary>The store-and-forward buffer on disk.</summary>
public sealed class BufferConfig
{
    /// <summary>Directory; default <c>./buffer/{gateway}</c> relative to the working directory.</summary>
    public string? Dir { get; set; }

    /// <summary>Largest size, MB; when full the oldest data is dropped and counted.</summary>
    public double MaxMb { get; set; } = 256;

    /// <summary>How often the buffer is fsynced (every write reaches the OS at once; see docs/gateway.md).</summary>
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal IEnumerable<string> Validate()
    {
        if (!(MaxMb is >= 1 and <= 1_000_000)) yield return $"max_mb: must be 1..1000000 (was {MaxMb})";
        if (FsyncInterval < TimeSpan.Zero) yield return "fsync_interval: must not be negative";
    }
}

/// <summary>How delivery is confirmed and how a backlog is sent.</summary>
public sealed class DeliveryConfig
{
    /// <summary><c>ingest</c>: a batch is done when ingest confirms it stored it (end to end); <c>broker</c>: when the
    /// broker's PUBACK arrives (for setups without Fieldlab ingest).</summary>
    public string Confirm { get; set; } = "ingest";

    /// <summary>How long after the PUBACK to wait for ingest's confirmation before sending again (doubles per attempt).</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Records younger than this go out on the live lane; older ones are backlog.</summary>
    public TimeSpan LiveWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Rows per second the backlog lane may send while it drains.</summary>
    public double BacklogRowsPerS { get; set; } = 20_000;

    /// <summary>Sends after which a record that ingest keeps passing over (it confirms newer rows of the stream, never
    /// this one) is given up and counted as lost. A record unconfirmed because ingest is away is never given up.</summary>
    public int MaxSends { get; set; } = 20;

    /// <summary>How often the gateway publishes its health report.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On shutdown, how long to keep delivering (sampling already stopped) while buffered data is unconfirmed.
    /// What is still unconfirmed then stays in the buffer for the next start.</summary>
    public TimeSpan DrainOnStop { get; set; } = TimeSpan.FromSeconds(10);

    internal IEnumerable<string> Validate()
    {
        if (Confirm is not ("ingest" or "broker")) yield return $"confirm: ingest or broker (was '{Confirm}')";
        if (ConfirmTimeout < TimeSpan.FromSeconds(1)) yield return "confirm_timeout: at least 1s";
        if (LiveWindow < TimeSpan.FromMilliseconds(100)) yield return "live_window: at least 100ms";
        if (!(BacklogRowsPerS > 0)) yield return "backlog_rows_per_s: must be positive";
        if (MaxSends < 1) yield return "max_sends: at least 1";
        if (HealthInterval < TimeSpan.FromSeconds(1)) yield return "health_interval: at least 1s";
        if (DrainOnStop < TimeSpan.Zero || DrainOnStop > TimeSpan.FromMinutes(10)) yield return "drain_on_stop: 0..10m";
    }
}

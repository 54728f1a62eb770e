using System.CommandLine;

namespace Fieldlab.Cli.Access;

/// <summary>Options every access command takes: where the state is and where the broker listens.</summary>
internal static class AccessOptions
{
    /// <summary><c>--state DIR</c> (default <c>.fieldlab</c>).</summary>
    public static Option<string> State() => new("--state")
    {
        Description = "The state directory of the Fieldlab (./fieldlab up: .fieldlab)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FIELDLAB_STATE") ?? ".fieldlab",
    };

    /// <summary><c>--mqtt-port P</c> (default <c>$FIELDLAB_MQTT_PORT</c> or 21883).</summary>
    public static Option<int> MqttPort() => new("--mqtt-port")
    {
        Description = "The broker's port on 127.0.0.1 (for reloading its access files)",
        DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("FIELDLAB_MQTT_PORT"), out int p) ? p : 21883,
    };
}

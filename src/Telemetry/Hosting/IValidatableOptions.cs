namespace Fieldlab.Telemetry.Hosting;

/// <summary>An options class that can list what is wrong with it, naming each offending key.</summary>
public interface IValidatableOptions
{
    /// <summary>Problems with the current values, each starting with the key it concerns; empty when valid.</summary>
    IEnumerable<string> Validate();
}

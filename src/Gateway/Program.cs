using Fieldlab.Gateway;
using Fieldlab.Gateway.Configuration;
using Microsoft.Extensions.Hosting;

// Usage: Fieldlab.Gateway --config rig.yaml [--config another.yaml ...] [--Metrics:Listen=http://127.0.0.1:9464]
var configFiles = new List<string>();
var hostArgs = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--config" && i + 1 < args.Length) configFiles.Add(args[++i]);
    else hostArgs.Add(args[i]);
}
if (configFiles.Count == 0)
{
    Console.Error.WriteLine("usage: Fieldlab.Gateway --config <rig.yaml> [--config <rig.yaml> ...]");
    return 2;
}

List<GatewayConfig> configs;
try
{
    configs = [.. configFiles.Select(GatewayConfigFile.Load)];
}
catch (GatewayConfigException e)
{
    Console.Error.WriteLine($"Invalid gateway configuration: {e.Message}");
    return 2;
}

var builder = Host.CreateApplicationBuilder([.. hostArgs]);
try
{
    builder.AddGateways(configs);
}
catch (GatewayConfigException e)
{
    Console.Error.WriteLine($"Invalid gateway configuration: {e.Message}");
    return 2;
}
try
{
    await builder.Build().RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    // Host settings (--Metrics:Listen, --Scrape:TokenFile) are validated when the host starts.
    Console.Error.WriteLine($"Invalid gateway configuration: {string.Join("; ", e.Failures)}");
    return 2;
}
return 0;

namespace Fieldlab.Telemetry.Mqtt;

/// <summary>TLS settings for the broker connection; server certificate and host name are always verified unless <see cref="AllowUntrustedHostName"/>.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>PEM file with the CA certificate(s) that signed the broker's certificate. Required: libmosquitto 2.0.11's
    /// "use the OS certificates" mode fails on reconnect, so the CA is always named explicitly.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>Client certificate (PEM) for mutual TLS, or null.</summary>
    public string? CertFile { get; set; }

    /// <summary>Private key (PEM, unencrypted) of <see cref="CertFile"/>, or null.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Lowest TLS version accepted; libmosquitto 2.0.11 would otherwise allow TLS 1.1.</summary>
    public string MinimumVersion { get; set; } = "tlsv1.2";

    /// <summary>Skip the host-name check (certificate chain is still verified). Only for test benches with IP-only certificates.</summary>
    public bool AllowUntrustedHostName { get; set; }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fieldlab.Access.Broker;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Testing;

namespace Fieldlab.Access.Tests.Broker;

/// <summary>The broker's TLS listener (the template's <c>@TLS_LISTENER@</c>, as <c>./fieldlab up</c> renders it from
/// <c>FIELDLAB_MQTT_TLS_*</c>): with a self-signed CA made here, a principal connects over TLS with the CA named; a
/// client that does not trust the CA, or speaks plain MQTT to the TLS port, does not get in; the same ACLs apply.</summary>
public sealed class TlsListenerTests
{
    [Fact]
    public async Task TlsListener_AcceptsAClientTrustingTheCa_AndRefusesOthers()
    {
        using var dir = new TempDirectory("tls");
        var (caFile, certFile, keyFile) = MakeCertificates(dir, "Fieldlab test CA");
        var (otherCa, _, _) = MakeCertificates(dir, "Some other CA", "other-");
        var principal = new BrokerPrincipal("tls-user", "tls-password-123", [new TopicRule(TopicAccess.Read, "t/#"), new TopicRule(TopicAccess.Write, "t/#")]);
        int tlsPort = FreePort.Next();
        await using var broker = await LocalMosquitto.StartSecuredAsync([principal], LocalMosquitto.TlsListener(tlsPort, caFile, certFile, keyFile));

        MqttConnectionOptions Options(string? ca) => new()
        {
            Host = "127.0.0.1",
            Port = tlsPort,
            ClientId = principal.Username,
            Username = principal.Username,
            Password = principal.Password,
            Tls = ca is null ? null : new MqttTlsOptions { CaFile = ca },
            ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
        };

        await using (var client = await MqttConnection.ConnectAsync(Options(caFile), null, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token))
        {
            await client.SubscribeAsync("t/x", MqttQos.AtLeastOnce, CancellationToken.None);
            await client.PublishAsync("t/x", new byte[] { 1, 2, 3 }, MqttQos.AtLeastOnce, false, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(new byte[] { 1, 2, 3 }, (await client.Messages.ReadAsync(timeout.Token)).Payload);
        }
        // Not trusting the CA: the handshake fails and the connection never comes up.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var untrusting = await MqttConnection.ConnectAsync(Options(otherCa), null, new CancellationTokenSource(TimeSpan.FromSeconds(3)).Token);
        });
        // Plain MQTT on the TLS port: no connection either.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await using var plain = await MqttConnection.ConnectAsync(Options(null), null, new CancellationTokenSource(TimeSpan.FromSeconds(3)).Token);
        });
        // And the plain listener still wants a password: TLS adds encryption, not a way around the ACLs.
        await Assert.ThrowsAsync<MqttException>(() => MqttConnection.ConnectAsync(broker.ClientOptions("anonymous-here"), null, CancellationToken.None));
    }

    private static (string Ca, string Cert, string Key) MakeCertificates(TempDirectory dir, string caName, string prefix = "")
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        var until = from.AddDays(1);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(from, until);

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, from, until.AddMinutes(-1), RandomNumberGenerator.GetBytes(8)); // within the CA's validity

        var caFile = dir.File(prefix + "ca.pem");
        var certFile = dir.File(prefix + "server.pem");
        var keyFile = dir.File(prefix + "server.key");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        File.WriteAllText(certFile, server.ExportCertificatePem());
        File.WriteAllText(keyFile, serverKey.ExportPkcs8PrivateKeyPem());
        return (caFile, certFile, keyFile);
    }
}

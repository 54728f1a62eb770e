using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Notifications;

/// <summary>Sends one e-mail through the configured SMTP server (<see cref="SmtpOptions"/>), once per call;
/// <see cref="DeliveryAttempts"/> retries.</summary>
public sealed class EmailSender(IOptions<NotificationOptions> options)
{
    private readonly Lazy<NetworkCredential?> _credential = new(() => options.Value.Smtp is { User: { } user } smtp
        ? new NetworkCredential(user, smtp.PasswordFile is null ? "" : File.ReadAllText(smtp.PasswordFile).Trim()) : null);

    /// <summary>True when an SMTP server is configured (otherwise e-mail settings are refused).</summary>
    public bool IsAvailable => options.Value.Smtp.IsConfigured;

    /// <summary>One try; throws <see cref="DeliveryException"/> when the server did not take the message.</summary>
    public async Task SendAsync(string to, string subject, string body, string delivery, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Smtp.IsConfigured) throw new DeliveryException("no SMTP server is configured (Notifications:Smtp:Host)", permanent: true);
        using var message = new MailMessage(o.Smtp.From!, to, subject, body)
        {
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
        };
        message.Headers.Add("X-Fieldlab-Delivery", delivery);
        using var client = new SmtpClient(o.Smtp.Host, o.Smtp.Port)
        {
            EnableSsl = o.Smtp.UseTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Credentials = _credential.Value,
            Timeout = (int)o.Timeout.TotalMilliseconds,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.Timeout);
        try
        {
            await client.SendMailAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException($"the SMTP server {o.Smtp.Host}:{o.Smtp.Port} did not finish within {o.Timeout.TotalSeconds:F0} s", permanent: false);
        }
        catch (SmtpFailedRecipientException e)
        {
            // The server refuses this address: trying again will not change its mind (a mailbox that is full might).
            throw new DeliveryException($"the SMTP server refused the recipient: {e.Message}", permanent: e.StatusCode != SmtpStatusCode.MailboxBusy);
        }
        catch (Exception e) when (e is SmtpException or IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new DeliveryException($"SMTP {o.Smtp.Host}:{o.Smtp.Port}: {e.Message}{(e.InnerException is { } inner ? " (" + inner.Message + ")" : "")}", permanent: false);
        }
    }
}

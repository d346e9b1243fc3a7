using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using Migration.Cluster.Configuration;

namespace Migration.Cluster.Security;

/// <summary>
/// The cluster secret: one certificate with its private key, in a PKCS#12 file every node holds.
/// Each node presents it on Akka.Remote's TLS and accepts a connection only from a peer presenting
/// the same certificate (mutual TLS, pinned by thumbprint), so a process without the file cannot
/// join, or even talk to a node, and the node it tried logs the refusal with its address.
/// </summary>
public static class ClusterSecret
{
    /// <summary>How long a made secret stays valid (it is a shared secret, rotated by making a new file).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    /// <summary>Makes a new secret at <paramref name="path"/> (its directory is created; an existing file is left alone).</summary>
    public static void Create(string path, string password)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path)) throw new ClusterConfigException($"{path} exists already; remove it first to make a new cluster secret");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=migration-cluster-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}",
            key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        // Both ends of a mutual TLS connection present it: server and client authentication.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Reads the secret of <paramref name="settings"/>; a missing or unreadable file is a config error saying what to do.</summary>
    public static X509Certificate2 Load(ClusterConfig settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = settings.SecretFile;
        if (!File.Exists(path))
        {
            throw new ClusterConfigException(
                $"{settings.ConfigPath}: the cluster secret {path} (migration.cluster.secret-file) does not exist; make one with `migration cluster secret --out {path}` and give every node the same file");
        }
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, settings.SecretPassword, X509KeyStorageFlags.Exportable);
            if (!certificate.HasPrivateKey) throw new ClusterConfigException($"{path}: the cluster secret holds no private key");
            return certificate;
        }
        catch (CryptographicException e)
        {
            throw new ClusterConfigException($"{path}: not a readable cluster secret (a PKCS#12 file; is migration.cluster.secret-password right?): {e.Message}");
        }
    }

    /// <summary>Akka.Remote's TLS set up with the secret: present it, and accept only peers presenting it too.</summary>
    public static DotNettySslSetup TlsSetup(X509Certificate2 secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var thumbprint = secret.Thumbprint;
        return new DotNettySslSetup(secret, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            customValidator: (certificate, _, peer, _, log) => Accept(certificate, peer, thumbprint, log));
    }

    private static bool Accept(X509Certificate2? certificate, string? peer, string thumbprint, ILoggingAdapter log)
    {
        if (certificate is not null && string.Equals(certificate.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase)) return true;
        log.Warning("refused a connection from {0}: it does not hold this cluster's secret (certificate {1}; the cluster's is {2})",
            peer ?? "an unknown peer", certificate?.Thumbprint ?? "none", thumbprint);
        return false;
    }
}

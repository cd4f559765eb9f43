using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Objects.S3;

/// <summary>Builds the S3 client the settings describe; credentials from the keywords, else the usual AWS sources.</summary>
internal static class S3Clients
{
    public static AmazonS3Client Create(ObjectStoreSettings settings)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            // Checksums only where S3 requires them: S3-compatible servers do not all accept the trailing ones.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // The object's SHA-256 is verified on every full read; a dead endpoint should fail in seconds, not minutes.
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(100),
        };
        if (settings.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = settings.Region ?? "us-east-1";
        }
        else if (settings.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return settings.AccessKey is { } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, settings.SecretKey ?? ""), config)
            : new AmazonS3Client(config);
    }
}

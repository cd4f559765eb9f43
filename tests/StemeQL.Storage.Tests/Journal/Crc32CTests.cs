using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Tests.Journal;

public sealed class Crc32CTests
{
    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0xE3069283u, Crc32C.ComputeSoftware("123456789"u8));
    }

    [Fact]
    public void Crc32C_of_nothing_is_zero() => Assert.Equal(0u, Crc32C.Compute([]));

    [Fact]
    public void Crc32C_matches_known_vectors()
    {
        // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, and of 0xFF.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
    }

    [Fact]
    public void Crc32C_hardware_path_equals_the_table_on_random_data()
    {
        var random = new Random(42);
        foreach (int length in Enumerable.Range(0, 70).Concat([255, 256, 1000, 4097, 1 << 20]))
        {
            var data = new byte[length + 3];
            random.NextBytes(data);
            // Unaligned starts too: the hardware path reads 8 bytes at a time.
            for (int start = 0; start < 3; start++)
            {
                var span = data.AsSpan(start, length);
                Assert.Equal(Crc32C.ComputeSoftware(span), Crc32C.Compute(span));
            }
        }
    }
}

using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace StemeQL.Storage.Journal;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of journal frames and headers.
/// Uses the CPU's CRC32C instruction (SSE4.2 or ARMv8 CRC) when there is one: every byte written to
/// the journal is checksummed on the write path, so the table fallback would cost real throughput.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;

    private static readonly uint[] Table = BuildTable();

    public static bool IsHardwareAccelerated => Sse42.IsSupported || ArmCrc32.Arm64.IsSupported || ArmCrc32.IsSupported;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(~0u, data);

    /// <summary>The CRC-32C computed with the lookup table only (tests compare it with the hardware path).</summary>
    public static uint ComputeSoftware(ReadOnlySpan<byte> data) => ~UpdateSoftware(~0u, data);

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported) return UpdateX64(crc, data);
        if (Sse42.IsSupported) return UpdateX86(crc, data);
        if (ArmCrc32.Arm64.IsSupported) return UpdateArm64(crc, data);
        if (ArmCrc32.IsSupported) return UpdateArm(crc, data);
        return UpdateSoftware(crc, data);
    }

    private static uint UpdateX64(uint crc, ReadOnlySpan<byte> data)
    {
        ulong c = crc;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
            c = Sse42.X64.Crc32(c, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        uint c32 = (uint)c;
        for (; i < data.Length; i++)
            c32 = Sse42.Crc32(c32, data[i]);
        return c32;
    }

    private static uint UpdateX86(uint crc, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
            crc = Sse42.Crc32(crc, BinaryPrimitives.ReadUInt32LittleEndian(data[i..]));
        for (; i < data.Length; i++)
            crc = Sse42.Crc32(crc, data[i]);
        return crc;
    }

    private static uint UpdateArm64(uint crc, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
            crc = ArmCrc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++)
            crc = ArmCrc32.ComputeCrc32C(crc, data[i]);
        return crc;
    }

    private static uint UpdateArm(uint crc, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
            crc = ArmCrc32.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data[i..]));
        for (; i < data.Length; i++)
            crc = ArmCrc32.ComputeCrc32C(crc, data[i]);
        return crc;
    }

    private static uint UpdateSoftware(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        foreach (byte b in data)
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            table[n] = c;
        }
        return table;
    }
}

using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Journal;

internal static partial class JournalCodec
{
    private const int PayloadHeaderSize = 16;   // LSN and ticks, before the op count

    /// <summary>Reads a payload's first LSN and op count without decoding the ops; false if they are impossible.</summary>
    public static bool TryReadPayloadHeader(ReadOnlySpan<byte> payload, out long firstLsn, out int count)
    {
        firstLsn = 0;
        count = 0;
        try
        {
            var reader = new PayloadReader(payload);
            ReadBatchHeader(ref reader, out firstLsn, out _, out count);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Decodes a payload whose CRC matched; throws <see cref="InvalidDataException"/> if it does not decode.</summary>
    public static JournalBatch Decode(ReadOnlySpan<byte> payload) => Parse(payload, build: true)!;

    /// <summary>Checks that a payload decodes, without building objects; returns what is wrong, or null.</summary>
    public static string? Validate(ReadOnlySpan<byte> payload)
    {
        try
        {
            Parse(payload, build: false);
            return null;
        }
        catch (InvalidDataException error)
        {
            return error.Message;
        }
    }

    private static JournalBatch? Parse(ReadOnlySpan<byte> payload, bool build)
    {
        var reader = new PayloadReader(payload);
        ReadBatchHeader(ref reader, out long firstLsn, out long ticks, out int count);
        var ops = build ? new JournalOp[count] : null;
        var agents = new RecentText();
        for (int i = 0; i < count; i++)
        {
            long lsn = firstLsn + i;
            byte type = reader.ReadByte();
            JournalOp? op = type switch
            {
                AssertType => ReadAssert(ref reader, ref agents, lsn, build),
                VoteType => ReadVote(ref reader, ref agents, lsn, build),
                _ => throw new InvalidDataException($"op {i} has unknown type {type}"),
            };
            if (ops is not null) ops[i] = op!;
        }
        if (!reader.AtEnd) throw new InvalidDataException($"{reader.Remaining} bytes follow the last op");
        return ops is null ? null : new JournalBatch(firstLsn, ticks, ops);
    }

    private static void ReadBatchHeader(ref PayloadReader reader, out long firstLsn, out long ticks, out int count)
    {
        firstLsn = reader.ReadInt64();
        ticks = reader.ReadInt64();
        ulong n = reader.ReadVarint();
        if (firstLsn < Lsn.First || n == 0 || n > (ulong)(reader.Remaining / JournalFormat.MinOpLength) || firstLsn > long.MaxValue - (long)n)
            throw new InvalidDataException($"impossible batch header (first LSN {firstLsn}, {n} ops)");
        count = (int)n;
    }

    private static JournalAssert? ReadAssert(ref PayloadReader reader, ref RecentText agents, long lsn, bool build)
    {
        double confidence = ReadWeight(ref reader, "confidence");
        var subject = reader.ReadUtf8();
        var predicate = reader.ReadUtf8();
        var value = ReadValue(ref reader, build);
        var epoch = reader.ReadUtf8();
        var agent = reader.ReadUtf8();
        ulong lineageCount = reader.ReadVarint();
        if (lineageCount > (ulong)(reader.Remaining / ContentHash.Size))
            throw new InvalidDataException($"lineage count {lineageCount} exceeds the payload");
        var lineage = build ? new ContentHash[lineageCount] : null;
        for (int i = 0; i < (int)lineageCount; i++)
        {
            var hash = reader.ReadBytes(ContentHash.Size);
            if (lineage is not null) lineage[i] = ContentHash.FromBytes(hash);
        }
        if (!build) return null;
        var assertion = new Assertion(Text(subject), Text(predicate), value, Text(epoch), agents.Get(agent), lineage, confidence);
        return new JournalAssert(lsn, assertion);
    }

    private static JournalVote? ReadVote(ref PayloadReader reader, ref RecentText agents, long lsn, bool build)
    {
        var hash = reader.ReadBytes(ContentHash.Size);
        var agent = reader.ReadUtf8();
        double weight = ReadWeight(ref reader, "weight");
        return build ? new JournalVote(lsn, new Vote(ContentHash.FromBytes(hash), agents.Get(agent), weight)) : null;
    }

    private static StemeValue ReadValue(ref PayloadReader reader, bool build)
    {
        byte type = reader.ReadByte();
        if (type == ExternalBytesType)
        {
            var hash = ContentHash.FromBytes(reader.ReadBytes(ContentHash.Size));
            ulong length = reader.ReadVarint();
            if (length > long.MaxValue) throw new InvalidDataException($"object length {length}");
            return build ? StemeValue.External(new ObjectReference(hash, (long)length)) : default;
        }
        switch ((ObjectType)type)
        {
            case ObjectType.Integer:
                long integer = BinaryPrimitives.ReadInt64BigEndian(reader.ReadBytes(8));
                return build ? StemeValue.Integer(integer) : default;
            case ObjectType.Real:
                double real = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(reader.ReadBytes(8)));
                return build ? StemeValue.Real(real) : default;
            case ObjectType.Boolean:
                byte flag = reader.ReadByte();
                if (flag > 1) throw new InvalidDataException($"boolean byte {flag}");
                return build ? StemeValue.Boolean(flag == 1) : default;
            case ObjectType.Text:
                var text = reader.ReadUtf8();
                return build ? StemeValue.Text(Text(text)) : default;
            case ObjectType.Bytes:
                var bytes = reader.ReadBytes(reader.ReadLength());
                return build ? StemeValue.Bytes(bytes) : default;
            default:
                throw new InvalidDataException($"unknown object type {type}");
        }
    }

    private static double ReadWeight(ref PayloadReader reader, string what)
    {
        double weight = BinaryPrimitives.ReadDoubleLittleEndian(reader.ReadBytes(8));
        if (double.IsNaN(weight) || weight < 0 || weight > 1) throw new InvalidDataException($"{what} {weight} is outside [0, 1]");
        return weight;
    }

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>
    /// The last text decoded, given again while the same bytes come back: a batch's operations are mostly by one agent
    /// (a bulk load's by one connection), so most of them share its name instead of allocating and decoding it again.
    /// </summary>
    private ref struct RecentText
    {
        private ReadOnlySpan<byte> _utf8;
        private string? _text;

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (_text is null || !utf8.SequenceEqual(_utf8))
            {
                _utf8 = utf8;
                _text = Text(utf8);
            }
            return _text;
        }
    }

    /// <summary>A bounds-checked cursor over a payload; anything out of bounds is corruption.</summary>
    private ref struct PayloadReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly int Remaining => _data.Length - _position;

        public readonly bool AtEnd => _position == _data.Length;

        public byte ReadByte() => ReadBytes(1)[0];

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));

        public ReadOnlySpan<byte> ReadBytes(int count)
        {
            if (count < 0 || count > Remaining) throw new InvalidDataException($"a field of {count} bytes runs past the end of the payload");
            var bytes = _data.Slice(_position, count);
            _position += count;
            return bytes;
        }

        public ulong ReadVarint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = ReadByte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new InvalidDataException("a varint is longer than 10 bytes");
        }

        public int ReadLength()
        {
            ulong length = ReadVarint();
            if (length > (ulong)Remaining) throw new InvalidDataException($"a length of {length} runs past the end of the payload");
            return (int)length;
        }

        public ReadOnlySpan<byte> ReadUtf8()
        {
            var bytes = ReadBytes(ReadLength());
            if (!Utf8.IsValid(bytes)) throw new InvalidDataException("a string is not valid UTF-8");
            return bytes;
        }
    }
}

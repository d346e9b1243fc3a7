using Google.Protobuf;

namespace Migration.Simulation.Reports;

/// <summary>
/// Length-delimited protobuf messages on a stream (a varint length, then the bytes), as between an
/// experiment and its worker processes: the end of the stream between two messages is told apart
/// from a message cut short, and a length past <see cref="MessageBytesMax"/> is refused.
/// </summary>
public static class Delimited
{
    /// <summary>The largest message read: a report of thousands of migrations is a few megabytes.</summary>
    public const int MessageBytesMax = 256 << 20;

    public static void Write(Stream stream, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.WriteDelimitedTo(stream);
        stream.Flush();
    }

    /// <summary>The next message, or null at the end of the stream; a message cut short or too long is an error.</summary>
    public static T? Read<T>(Stream stream, MessageParser<T> parser) where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parser);
        var first = stream.ReadByte();
        if (first < 0) return default;
        long length = 0;
        var shift = 0;
        for (var b = first; ; b = stream.ReadByte())
        {
            if (b < 0) throw new InvalidDataException("the stream ended inside a message's length");
            length |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
            shift += 7;
            if (shift > 35) throw new InvalidDataException("a message length of more than five bytes");
        }
        if (length > MessageBytesMax) throw new InvalidDataException($"a message of {length:N0} bytes, more than {MessageBytesMax:N0}");
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return parser.ParseFrom(bytes);
    }
}

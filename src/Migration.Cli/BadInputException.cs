namespace Migration.Cli;

/// <summary>
/// The command line, a file or a setting was wrong and nothing ran: the message says what and where
/// (it is printed as it is, without a stack trace), and the process exits with <see cref="ExitCodes.BadInput"/>.
/// </summary>
public sealed class BadInputException(string message, Exception? inner = null) : Exception(message, inner);

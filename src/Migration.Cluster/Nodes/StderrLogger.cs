using Akka.Actor;
using Akka.Event;

namespace Migration.Cluster.Nodes;

/// <summary>
/// Akka's log, on stderr: stdout is for data (a report, a status), and Akka's own default logger
/// writes to stdout. Set as <c>akka.loggers</c> in every ActorSystem this program makes.
/// </summary>
public sealed class StderrLogger : ReceiveActor
{
    public const string Setting = "akka.loggers = [\"Migration.Cluster.Nodes.StderrLogger, Migration.Cluster\"]\nakka.stdout-loglevel = OFF";

    public StderrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Console.Error.WriteLine(e.ToString()));
    }
}

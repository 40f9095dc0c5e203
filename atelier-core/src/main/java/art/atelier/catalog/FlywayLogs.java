package art.atelier.catalog;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Flyway's log goes: to slf4j under Flyway's own logger names, with its chatter (banner, "Migrating
 * schema ... to version ...", "Schema ... is up to date") at debug level so that opening a catalog prints
 * nothing; warnings and errors stay warnings and errors. Public only because Flyway instantiates its log
 * creator by class name; nothing else should use it.
 */
public final class FlywayLogs implements LogCreator {

    /** Called by Flyway. */
    public FlywayLogs() {}

    @Override
    public Log createLogger(Class<?> clazz) {
        Logger log = LoggerFactory.getLogger(clazz);
        return new Log() {
            @Override
            public void debug(String message) {
                log.debug(message);
            }

            @Override
            public void info(String message) {
                log.debug(message);
            }

            @Override
            public void warn(String message) {
                log.warn(message);
            }

            @Override
            public void error(String message) {
                log.error(message);
            }

            @Override
            public void error(String message, Exception e) {
                log.error(message, e);
            }

            @Override
            public void notice(String message) {
                log.debug(message);
            }
        };
    }
}

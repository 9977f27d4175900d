import { getOperationAST, GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context';

/**
 * Ends each operation's request transaction when execution is done, before
 * the response goes out: a mutation's success reaches the client only once it
 * committed. Mutations run their units in savepoints (`write`), queries share
 * the transaction (`read`). A subscription gives its transaction up at once:
 * it lives for minutes, and each event opens a transaction of its own.
 */
export function useRequestTransaction(): Plugin<GraphQLContext> {
  return {
    onExecute({ args, setExecuteFn, executeFn }) {
      const context = args.contextValue;
      const transaction = context.transaction;
      if (!transaction?.usable) return;
      transaction.mode = getOperationAST(args.document, args.operationName)?.operation === 'mutation' ? 'write' : 'read';
      setExecuteFn(async (executionArgs) => {
        let result: Awaited<ReturnType<typeof executeFn>>;
        try {
          result = await executeFn(executionArgs);
        } catch (error) {
          await transaction.finish('rollback').catch(() => {});
          throw error;
        }
        try {
          await transaction.finish('commit');
        } catch (error) {
          context.logger.error({ err: error }, 'request transaction failed to commit');
          const failed: ExecutionResult = {
            data: null,
            errors: [new GraphQLError('The request could not be completed; nothing was saved.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })],
          };
          return failed;
        }
        return result;
      });
    },
    async onSubscribe({ args }) {
      await args.contextValue.transaction?.finish('commit');
    },
  };
}

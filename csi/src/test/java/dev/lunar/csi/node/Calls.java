package dev.lunar.csi.node;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Calls a gRPC service method directly and answers its single response or its status. */
final class Calls {

  private Calls() {}

  static <Q, A> A call(BiConsumer<Q, StreamObserver<A>> method, Q request) {
    List<A> answers = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    boolean[] completed = {false};
    method.accept(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(A value) {
            answers.add(value);
          }

          @Override
          public void onError(Throwable t) {
            errors.add(t);
          }

          @Override
          public void onCompleted() {
            completed[0] = true;
          }
        });
    if (!errors.isEmpty()) {
      Throwable error = errors.getFirst();
      throw error instanceof StatusRuntimeException s
          ? s
          : Status.UNKNOWN.withCause(error).asRuntimeException();
    }
    if (answers.size() != 1 || !completed[0]) {
      throw new AssertionError("expected one answer and completion, got " + answers);
    }
    return answers.getFirst();
  }
}

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { commands } from "../../bindings";
import { unwrap } from "../../lib/command";
import { invalidateLibrary } from "../../lib/invalidate";
import { recordingKeys } from "../../lib/queryKeys";

export function useNotes(recordingId: string) {
  return useQuery({
    queryKey: recordingKeys.notes(recordingId),
    queryFn: () => unwrap(commands.listNotes(recordingId)),
  });
}

type NoteInput = { positionMs: number; body: string };

export function useNoteMutations(recordingId: string) {
  const client = useQueryClient();
  const onSettled = () => invalidateLibrary(client, { kind: "notes" });
  const add = useMutation({
    mutationFn: ({ positionMs, body }: NoteInput) => unwrap(commands.addNote(recordingId, positionMs, body)),
    onSettled,
  });
  const edit = useMutation({
    mutationFn: ({ noteId, positionMs, body }: NoteInput & { noteId: number }) =>
      unwrap(commands.editNote(noteId, positionMs, body)),
    onSettled,
  });
  const remove = useMutation({
    mutationFn: (noteId: number) => unwrap(commands.deleteNote(noteId)),
    onSettled,
  });
  return { add, edit, remove };
}

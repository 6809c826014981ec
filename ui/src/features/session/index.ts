// Sign-in, the account menu, and who is signed in.
export { AccountMenu } from "./AccountMenu";
export { SignInScreen } from "./SignInScreen";
export { sessionQuery, useSession } from "./api";
export { useSessionEvents } from "./useSessionEvents";

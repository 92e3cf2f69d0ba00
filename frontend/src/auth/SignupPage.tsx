import { useState } from "react";

import { api } from "../api/endpoints";
import { navigate } from "../router";
import { AuthField, AuthForm } from "./AuthForm";

export function SignupPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  const signUpAndLogIn = async () => {
    const created = await api.signup(username, password, email);
    // Sign-up makes the account; a login opens the session right after.
    return created.ok ? await api.login(username, password) : created;
  };

  const enter = async () => {
    await onSignedIn();
    navigate("/", { replace: true });
  };

  return (
    <AuthForm
      action="Sign up"
      tagline="Create your account"
      attempt={signUpAndLogIn}
      onSuccess={enter}
      alternative={{ prompt: "Have an account?", href: "/login", label: "Log in" }}
    >
      <AuthField label="Username" autoComplete="username" value={username} onChange={setUsername} required />
      <AuthField label="Email (optional)" type="email" autoComplete="email" value={email} onChange={setEmail} />
      <AuthField label="Password" type="password" autoComplete="new-password" value={password} onChange={setPassword} required />
    </AuthForm>
  );
}

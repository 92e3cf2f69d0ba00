import { useState } from "react";

import { api } from "../api/endpoints";
import { AuthField, AuthForm } from "./AuthForm";

export function LoginPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");

  return (
    <AuthForm
      action="Log in"
      tagline="Graphs of language models"
      attempt={() => api.login(username, password)}
      onSuccess={onSignedIn}
      alternative={{ prompt: "No account yet?", href: "/signup", label: "Sign up" }}
    >
      <AuthField label="Username" name="username" autoComplete="username" value={username} onChange={setUsername} required />
      <AuthField label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={setPassword} required />
    </AuthForm>
  );
}
